/** Normalised identity values, so one customer is found however an address or number is written. */
export type IdentityKind = "email" | "phone" | "chat" | "external" | "social";

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** Keeps a leading + and the digits: "+44 (0)20 7946-0018" and "+4402079460018" stay distinct only by the (0). */
export function normalizePhone(value: string): string {
  const trimmed = value.trim();
  const digits = trimmed.replace(/\(0\)/g, "").replace(/[^\d]/g, "");
  return trimmed.startsWith("+") || trimmed.startsWith("00") ? `+${digits.replace(/^00/, "")}` : digits;
}

export function normalizeIdentity(kind: IdentityKind, value: string): string {
  if (kind === "email") return normalizeEmail(value);
  if (kind === "phone") return normalizePhone(value);
  return value.trim();
}
