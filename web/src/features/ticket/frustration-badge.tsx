import type { Frustration } from "../../api/api-types.ts";

/**
 * "Frustrated" / "Annoyed" when the customer sounds it; the cues (why) are the tooltip and, for screen readers,
 * part of the text. Nothing for a calm customer.
 */
export function FrustrationBadge(props: { frustration: Frustration | null }) {
  const frustration = props.frustration;
  if (!frustration || frustration.level === "none") return null;
  const label = frustration.level === "high" ? "Frustrated" : "Annoyed";
  const why = frustration.cues.length > 0 ? frustration.cues.join("; ") : "negative tone";
  return (
    <span className={`badge frustration-${frustration.level}`} title={`${label}: ${why}`}>
      {label}
      <span className="visually-hidden">: {why}</span>
    </span>
  );
}
