// A real headless Chromium for the web tests (Debian's `chromium` package, driven by
// playwright-core; nothing downloads a browser) and a static file server on 127.0.0.1.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import { afterAll, beforeAll, describe } from "vitest";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => !!p);

/** The Chromium binary, or undefined (the tests then skip, saying why). */
export const chromiumPath = CANDIDATES.find((p) => fs.existsSync(p));
export const noChromium = chromiumPath ? false : `no Chromium found (${CANDIDATES.join(", ")}); install Debian's \`chromium\` package (.ci/run does)`;

/** Screenshots and other things a person looks at after the tests (gitignored). */
export const ARTIFACTS = "test-artifacts";

/** Chromium as root, offline and quiet; playwright gives every launch a fresh profile folder (--user-data-dir). */
export async function launch(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, close: () => browser.close() };
}

/** A describe block "in Chromium" sharing one browser, `browser()` (skipped, saying why, without Chromium). */
export function inChromium(body: (browser: () => Browser) => void): void {
  (chromiumPath ? describe : describe.skip)(`in Chromium${noChromium ? ` (skipped: ${noChromium})` : ""}`, () => {
    let launched: { browser: Browser; close(): Promise<void> } | undefined;
    beforeAll(async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      launched = await launch();
    });
    afterAll(async () => launched?.close());
    body(() => launched!.browser);
  });
}

/** A new page that records console errors and uncaught exceptions. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".png": "image/png", ".bin": "application/octet-stream" };

/** Serves `root` on 127.0.0.1 (a random port). */
export async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = path.join(root, rel.endsWith("/") ? `${rel}index.html` : rel);
    if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
