// The runtime's wasm kernels without OpenBLAS (what runs where it is not built): the same
// tests as kernels.test.ts, with GANC_BLAS=off set before the backend starts.
process.env.GANC_BLAS = "off";
await import("./kernels.test.js");
