import type { PublicUser } from "../../api/api-types.ts";
import { AdminPageFrame } from "./admin-parts.tsx";

export function RulesPage({ me: _me }: { me: PublicUser }) {
  return (
    <AdminPageFrame title="RulesPage">
      <p>Coming soon.</p>
    </AdminPageFrame>
  );
}
