// The cohort heatmap's colours: a share 0..1 maps to a sequential green (the app's accent), light to dark, with
// text that keeps WCAG AA contrast on every cell. Colour only supports the numbers, which are printed in each cell.

type Rgb = [number, number, number];

const light: Rgb = [0xf3, 0xf8, 0xf6];
const dark: Rgb = [0x1b, 0x4d, 0x3f];
// Pure black: between black and white text some colour always reaches 4.58:1, with a softer dark it would not.
const textDark = "#000000";
const textLight = "#ffffff";

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

function parseHex(color: string): Rgb {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(color: string): number {
  const [r, g, b] = parseHex(color).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Background and text colour for a share (0..1; outside is clamped). The ramp is eased (square root) so the small
 * shares that dominate later months still differ visibly. `null` (no data yet) is a neutral grey.
 */
export function heatColor(share: number | null): { background: string; color: string } {
  if (share === null || !Number.isFinite(share)) return { background: "#eceff2", color: "#5b6876" };
  const t = Math.sqrt(Math.min(1, Math.max(0, share)));
  const background = hex([0, 1, 2].map((i) => light[i] + (dark[i] - light[i]) * t) as Rgb);
  const color =
    contrastRatio(background, textDark) >= contrastRatio(background, textLight) ? textDark : textLight;
  return { background, color };
}

/** A share as a percentage for a cell or a headline: 0.4567 → "45.7%" (one decimal), null → "–". */
export function formatShare(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "–";
  return `${(share * 100).toFixed(digits)}%`;
}
