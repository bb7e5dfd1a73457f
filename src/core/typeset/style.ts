// The letter's page design, in PDF points (1/72 inch). A4, a book's measure: 10.5/15 type on
// 325 pt (115 mm), about 65 characters a line, set justified between 47.7 mm side margins.

export const STYLE = {
  page: { width: 595.28, height: 841.89 },
  margin: { top: 80, bottom: 84, left: 135.14, right: 135.14 },
  size: 10.5,
  leading: 15,
  footerSize: 7.5,
  footerBaseline: 46,
  footerGray: 0.4,
  /** Vertical space, in leadings, before each kind of block. */
  space: { salutation: 2, paragraph: 0.55, close: 1, signature: 3, addressee: 2.4 },
} as const;

export const MEASURE = STYLE.page.width - STYLE.margin.left - STYLE.margin.right;
