import { useCallback, useEffect, useId, useState } from "react";
import { adminApi } from "../../api/admin-api.ts";
import type { AgentStatus, PublicUser, RoutingMode, TeamLoad } from "../../api/api-types.ts";
import { fieldErrorsOf } from "../../lib/field-errors.ts";
import { AdminPageFrame, FieldError, messageOf } from "./admin-parts.tsx";

const modeLabels: Record<RoutingMode, string> = {
  manual: "Manual (leads assign)",
  round_robin: "Round robin",
  load_balanced: "Load balanced",
};
const statusLabels: Record<AgentStatus, string> = { online: "Online", away: "Away", offline: "Offline" };

function summarise(result: { released: number[]; assigned: unknown[] }): string {
  const parts = [];
  if (result.assigned.length > 0) parts.push(`${result.assigned.length} ticket(s) assigned`);
  if (result.released.length > 0) parts.push(`${result.released.length} unstarted ticket(s) handed back`);
  return parts.length > 0 ? ` ${parts.join(", ")}.` : "";
}

function CapacityCell(props: {
  teamId: number;
  agent: TeamLoad["agents"][number];
  onSave: (capacity: number) => Promise<string | null>;
}) {
  const [value, setValue] = useState(String(props.agent.capacity));
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  useEffect(() => setValue(String(props.agent.capacity)), [props.agent.capacity]);
  const dirty = value !== String(props.agent.capacity);
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setError(await props.onSave(Number(value)));
      }}
    >
      <label className="visually-hidden" htmlFor={`${id}-cap`}>
        Capacity of {props.agent.name}
      </label>
      <input
        id={`${id}-cap`}
        type="number"
        min={0}
        max={1000}
        step={1}
        className="input-narrow"
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(event) => setValue(event.target.value)}
      />
      {dirty && (
        <button type="submit" className="button button-small">
          Save
        </button>
      )}
      <FieldError id={`${id}-err`} message={error ?? undefined} />
    </form>
  );
}

/** Leads: who is online, each agent's capacity and load per team, and how each team's queue is routed. */
export function TeamPage({ me }: { me: PublicUser }) {
  const [teams, setTeams] = useState<TeamLoad[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const ids = useId();

  const load = useCallback(async () => {
    try {
      setTeams((await adminApi.teamLoads()).items);
    } catch (caught) {
      setError(messageOf(caught, "Could not load the teams"));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const saveCapacity = async (userId: number, name: string, capacity: number): Promise<string | null> => {
    try {
      const result = await adminApi.setAgent(userId, { capacity });
      setNotice(`${name} now takes up to ${capacity} tickets.${summarise(result)}`);
      await load();
      return null;
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      return fields.capacity ?? messageOf(caught);
    }
  };

  const setStatus = async (userId: number, name: string, status: AgentStatus) => {
    setError(null);
    try {
      const result = await adminApi.setAgent(userId, { status });
      setNotice(`${name} is ${statusLabels[status].toLowerCase()}.${summarise(result)}`);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  const setMode = async (team: TeamLoad, mode: RoutingMode) => {
    setError(null);
    try {
      const result = await adminApi.setRoutingMode(team.id, mode);
      setNotice(`${team.name}: ${modeLabels[mode].toLowerCase()}.${summarise(result)}`);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <AdminPageFrame
      title="Agents and teams"
      intro="Online agents get routed work up to their capacity; away agents keep their tickets but get no new ones; going offline hands unstarted tickets back."
      notice={notice}
      error={error}
      busy={!teams && !error}
      actions={
        <button type="button" className="button" onClick={() => void load()}>
          Refresh
        </button>
      }
    >
      {!teams ? (
        !error && <p>Loading…</p>
      ) : teams.length === 0 ? (
        <p className="empty">No teams yet.</p>
      ) : (
        teams.map((team) => (
          <section key={team.id} className="admin-card" aria-labelledby={`${ids}-team-${team.id}`}>
            <div className="admin-card-head">
              <h2 id={`${ids}-team-${team.id}`}>{team.name}</h2>
              <span className="muted">
                {team.waiting} waiting · {team.agents.filter((a) => a.status === "online").length} of{" "}
                {team.agents.length} online
              </span>
              <label className="inline-label">
                Routing{" "}
                <select
                  value={team.routingMode}
                  onChange={(event) => void setMode(team, event.target.value as RoutingMode)}
                >
                  {(Object.keys(modeLabels) as RoutingMode[]).map((mode) => (
                    <option key={mode} value={mode}>
                      {modeLabels[mode]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <table className="data-table">
              <caption className="visually-hidden">Agents of {team.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Load
                  </th>
                  <th scope="col" className="num">
                    Not started
                  </th>
                  <th scope="col">Capacity</th>
                </tr>
              </thead>
              <tbody>
                {team.agents.map((agent) => (
                  <tr key={agent.userId}>
                    <th scope="row">
                      {agent.name}
                      {agent.userId === me.id && <span className="muted"> (you)</span>}
                      {agent.role !== "agent" && <span className="muted"> · {agent.role}</span>}
                    </th>
                    <td>
                      <span className={`presence presence-${agent.status}`} aria-hidden="true" />
                      <label className="visually-hidden" htmlFor={`${ids}-st-${team.id}-${agent.userId}`}>
                        Status of {agent.name}
                      </label>
                      <select
                        id={`${ids}-st-${team.id}-${agent.userId}`}
                        value={agent.status}
                        onChange={(event) =>
                          void setStatus(agent.userId, agent.name, event.target.value as AgentStatus)
                        }
                      >
                        {(Object.keys(statusLabels) as AgentStatus[]).map((status) => (
                          <option key={status} value={status}>
                            {statusLabels[status]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="num">
                      <meter
                        min={0}
                        max={Math.max(agent.capacity, agent.load, 1)}
                        value={agent.load}
                        aria-label={`Load of ${agent.name}`}
                      />{" "}
                      {agent.load} / {agent.capacity}
                    </td>
                    <td className="num">{agent.unstarted}</td>
                    <td>
                      <CapacityCell
                        teamId={team.id}
                        agent={agent}
                        onSave={(capacity) => saveCapacity(agent.userId, agent.name, capacity)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </AdminPageFrame>
  );
}
