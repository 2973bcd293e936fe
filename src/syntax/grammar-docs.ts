export function generateEbnf(): string { return ""; }
export function generateDiagramsHtml(): string { return ""; }
