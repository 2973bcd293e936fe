export { formatSpec, FormatError } from "./format.js";
