import sanitizeHtml from "sanitize-html";

/**
 * Turns a mail's HTML into something safe to show agents inside Tend's own origin: no script, style, event
 * handlers, forms, frames or javascript: URLs. Inline cid: images point at Tend's attachment URL.
 *
 * Remote images are BLOCKED: each becomes a plain link "[image: alt]" to its address. Loading them would tell the
 * sender (often a tracker pixel) when and from which IP an agent read the mail; an agent who wants the picture
 * can follow the link. data: images (png/gif/jpeg/webp only) are kept, they load nothing.
 */
export function sanitizeMailHtml(html: string, resolveCid: (contentId: string) => string | null): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== "style"),
      "img",
      "font",
      "center",
      "u",
      "s",
      "del",
      "ins",
      "sub",
      "sup",
      "span",
    ],
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "head", "xml"],
    allowedAttributes: {
      a: ["href", "title", "rel", "target"],
      img: ["src", "alt", "title", "width", "height"],
      td: ["colspan", "rowspan", "align", "valign", "width"],
      th: ["colspan", "rowspan", "align", "valign", "width"],
      table: ["border", "cellpadding", "cellspacing", "width", "align"],
      font: ["color", "size"],
      "*": ["dir", "lang"],
    },
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesByTag: { img: ["data"] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: "noopener noreferrer nofollow", target: "_blank" },
      }),
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const src = (attribs.src ?? "").trim();
        const alt = attribs.alt ?? "";
        if (/^cid:/i.test(src)) {
          const url = resolveCid(src.slice(4).replace(/^<|>$/g, ""));
          return url
            ? { tagName, attribs: { ...attribs, src: url } }
            : { tagName: "span", attribs: {}, text: alt };
        }
        if (/^data:image\/(?:png|gif|jpe?g|webp);base64,/i.test(src)) return { tagName, attribs };
        if (/^https?:\/\//i.test(src)) {
          return {
            tagName: "a",
            attribs: { href: src, rel: "noopener noreferrer nofollow", target: "_blank" },
            text: `[image${alt ? `: ${alt}` : ""}]`,
          };
        }
        return { tagName: "span", attribs: {}, text: alt };
      },
    },
  });
}
