// index.html of an exported generator: the page's frame; page.js fills it from generator.js's info.
import { escapeHtml as escape } from "../report/html-text.js";
import type { ExportInfo } from "./info.js";


export function pageHtml(info: ExportInfo): string {
  const title = `${info.spec}: generator ${info.network}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escape(title)}</title>
<link rel="stylesheet" href="page.css">
<script type="module" src="page.js"></script>
</head>
<body>
<header>
  <h1>${escape(info.spec)}</h1>
  <p class="sub">generator <b>${escape(info.network)}</b> at step ${info.step}${info.ema ? " (moving-average weights)" : ""} · exported by ganc · <span id="status">loading…</span></p>
</header>
<main id="app"></main>
<noscript>This page runs the generator with JavaScript (TensorFlow.js); please enable it.</noscript>
</body>
</html>
`;
}
