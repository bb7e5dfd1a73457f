// The letter's page design, in PDF points (1/72 inch). A4, 27 mm side margins, 10.5/14.5 type:
// about 88 characters a line, set justified.

export const STYLE = {
  page: { width: 595.28, height: 841.89 },
  margin: { top: 80, bottom: 84, left: 76.64, right: 76.64 },
  size: 10.5,
  leading: 14.5,
  footerSize: 7.5,
  footerBaseline: 46,
  footerGray: 0.4,
  /** Vertical space, in leadings, before each kind of block. */
  space: { salutation: 2, paragraph: 0.55, close: 1, signature: 3, addressee: 2.4 },
} as const;

export const MEASURE = STYLE.page.width - STYLE.margin.left - STYLE.margin.right;
