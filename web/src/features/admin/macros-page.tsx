import type { PublicUser } from "../../api/api-types.ts";
import { AdminPageFrame } from "./admin-parts.tsx";

export function MacrosPage({ me: _me }: { me: PublicUser }) {
  return (
    <AdminPageFrame title="MacrosPage">
      <p>Coming soon.</p>
    </AdminPageFrame>
  );
}
