import type { PublicUser } from "../../api/api-types.ts";
import { AdminPageFrame } from "./admin-parts.tsx";

export function SurveySettingsPage({ me: _me }: { me: PublicUser }) {
  return (
    <AdminPageFrame title="SurveySettingsPage">
      <p>Coming soon.</p>
    </AdminPageFrame>
  );
}
