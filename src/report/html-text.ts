// Text placed into the HTML ganc writes (reports, exported pages).

/** Text as HTML element content or an attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&${({ "&": "amp", "<": "lt", ">": "gt", '"': "quot" })[c]};`);

/** Script or style text that cannot close the <script> or <style> element it is inlined in. */
export const inlineText = (s: string): string => s.replace(/<\/(script|style)/gi, "<\\/$1");
