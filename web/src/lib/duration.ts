/** Business minutes as people say them: "45 min", "2 h 5 min", "3 d 4 h" (a day is 24 hours here). */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return "–";
  const total = Math.round(minutes);
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
}

/** A share 0..1 as a whole percent, "–" when there is nothing to share. */
export function formatShare(share: number | null): string {
  return share === null ? "–" : `${Math.round(share * 1000) / 10}%`;
}
