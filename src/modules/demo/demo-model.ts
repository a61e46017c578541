import type { MailAddress, OrderItem } from "../../db/schema.ts";
import { normalizeIdentity } from "../customers/identities.ts";
import {
  agentProfiles,
  businessName,
  businessTimezone,
  consumerMailDomains,
  firstNames,
  freeShippingFromMinor,
  grinds,
  lastNames,
  nativeScriptNames,
  organisationNames,
  type Product,
  phoneAreaCodes,
  products,
  shippingMinor,
  type TicketTopic,
  teamNames,
  ticketTopics,
} from "./demo-catalogue.ts";
import { createDemoRandom, type DemoRandom } from "./demo-random.ts";
import {
  addStaffedMinutes,
  atLocalHour,
  DAY,
  formatLocalDate,
  HOUR,
  isStaffed,
  localDayOfYear,
  MINUTE,
} from "./demo-time.ts";

/**
 * The generative model of the demo workspace (documented in README.md next to this file). Pure: the same
 * options always give the same plan, which demo.service.ts then writes to the database.
 */

export const defaultDemoSeed = 20_240_917;
export const demoCurrency = "USD";

/** Parameters of the latent processes; README.md explains what an analysis should recover from them. */
export const demoModel = {
  windowDays: 730,
  customersAtScale1: 2000,
  organisationsAtScale1: 40,
  organisationMemberShare: 0.1,
  /** Purchase rate per day ~ Gamma(shape, scale): heterogeneous, many slow buyers (Pareto/NBD's lambda). */
  purchaseRate: { shape: 0.3, scale: 1 / 19 / 0.3 },
  /** Dropout rate per day ~ Gamma(shape, scale) (Pareto/NBD's mu); mean lifetime about 1/mean = 1 year. */
  dropoutRate: { shape: 3, scale: 1 / 365 / 3 },
  /** Wholesale (organisation) buyers order more often and stay longer. */
  wholesalePurchaseRate: { shape: 3, scale: 1 / 12 / 3 },
  wholesaleDropoutRate: { shape: 2, scale: 1 / 900 / 2 },
  /** Spend: customer mean order value ~ Gamma(q, scale) in cents; each order ~ Gamma(p, mean/p) (gamma-gamma). */
  spend: { customerShape: 4, customerMeanMinor: 4200, orderShape: 6 },
  /** Some customers who dropped out come back once after a long gap. */
  winBack: { probability: 0.2, minGapDays: 185, maxGapDays: 420 },
  /** Tickets per order about that order, and standalone tickets (brewing, account, subscription) per order. */
  orderTicketProbability: 0.175,
  standaloneTicketProbability: 0.075,
  /** Service quality: first response slower than this is "slow". */
  slowFirstResponseHours: 24,
  /** Share of email tickets that slip through the queue for an extra 10-30 staffed hours. */
  slipProbability: 0.16,
  reopenProbability: { base: 0.07, slow: 0.1, frustrated: 0.05 },
  /** PLANTED EFFECT: after a slow first response or a reopened ticket, the dropout hazard is multiplied by this. */
  badServiceHazardRatio: 1.8,
} as const;

/** First id of each table; a fresh database starts every table at 1, a forced second demo after the last row. */
export type DemoIdBase = {
  organisation: number;
  customer: number;
  identity: number;
  order: number;
  ticket: number;
  message: number;
  timeline: number;
};

export type DemoPlanOptions = {
  now: Date;
  seed?: number;
  scale?: number;
  mailDomain: string;
  idBase?: Partial<DemoIdBase>;
};

type TicketStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
type Channel = "email" | "chat" | "phone" | "web";

export type PlanOrganisation = { id: number; name: string; domain: string; createdAt: Date };
export type PlanCustomer = {
  id: number;
  name: string | null;
  organizationId: number | null;
  tier: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
};
export type PlanIdentity = {
  id: number;
  customerId: number;
  kind: "email" | "phone";
  value: string;
  isPrimary: boolean;
  createdAt: Date;
};
export type PlanOrder = {
  id: number;
  customerId: number;
  externalId: string;
  placedAt: Date;
  amountMinor: number;
  currency: string;
  items: OrderItem[];
  status: "placed" | "paid" | "fulfilled" | "delivered" | "cancelled" | "refunded";
  createdAt: Date;
};
export type PlanTicket = {
  id: number;
  subject: string;
  status: TicketStatus;
  priority: "low" | "normal" | "high" | "urgent";
  channel: Channel;
  customerId: number;
  /** Index into agentProfiles; the service maps it to a user id. */
  assigneeAgent: number | null;
  /** Index into teamNames. */
  teamIndex: number;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date;
  lastCustomerMessageAt: Date | null;
  solvedAt: Date | null;
  closedAt: Date | null;
};
export type PlanMessage = {
  id: number;
  ticketId: number;
  direction: "inbound" | "outbound";
  isInternal: boolean;
  channel: Channel;
  authorAgent: number | null;
  authorCustomerId: number | null;
  text: string;
  mailMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  fromAddress: MailAddress | null;
  toAddresses: MailAddress[];
  mailSubject: string | null;
  deliveryStatus: "received" | "sent";
  deliveryAttempts: number;
  sentAt: Date | null;
  createdAt: Date;
};
export type PlanTimelineEvent = {
  id: number;
  customerId: number;
  ticketId: number | null;
  kind: string;
  summary: string;
  actorAgent: number | null;
  data: Record<string, unknown>;
  occurredAt: Date;
};

/** What the generator knew but the data only shows indirectly; for tests and the README. */
export type CustomerTruth = {
  customerId: number;
  purchaseRatePerDay: number;
  dropoutRatePerDay: number;
  /** When the customer stopped buying for good (null: still alive at the end of the window). */
  droppedOutAt: Date | null;
  /** First slow first response or reopened ticket that raised the dropout hazard (null: none while alive). */
  badServiceAt: Date | null;
  wonBackAt: Date | null;
  /** Staffed-time-weighted exposure, used to check the planted hazard ratio. */
  daysAtRiskBefore: number;
  daysAtRiskAfter: number;
  dropoutsBefore: number;
  dropoutsAfter: number;
};

export type DemoPlan = {
  now: Date;
  seed: number;
  scale: number;
  workspace: { name: string; supportAddress: string; timezone: string };
  organisations: PlanOrganisation[];
  customers: PlanCustomer[];
  identities: PlanIdentity[];
  orders: PlanOrder[];
  tickets: PlanTicket[];
  messages: PlanMessage[];
  timeline: PlanTimelineEvent[];
  truth: CustomerTruth[];
};

// ---------------------------------------------------------------------------------------------------------
// Simulation: latent purchase and dropout processes per customer, with tickets feeding back into dropout.

type SimTicket = {
  topic: TicketTopic;
  orderIndex: number | null;
  channel: Channel;
  frustrated: boolean;
  createdAt: number;
  steps: { at: number; from: "customer" | "agent" | "note"; part: StepPart }[];
  solvedAt: number[];
  reopenedAt: number | null;
  firstResponseAt: number;
  agent: number;
  priority: PlanTicket["priority"];
  variant: number;
};
type StepPart = "opening" | "reply" | "followUp" | "closing" | "reopen" | "reopenReply" | "note";

type SimCustomer = {
  index: number;
  rng: DemoRandom;
  acquiredAt: number;
  organisation: number | null;
  lambda: number;
  mu: number;
  meanSpend: number;
  orders: number[];
  tickets: SimTicket[];
  truth: Omit<CustomerTruth, "customerId">;
};

const agentsByTeam: Record<(typeof teamNames)[number], (readonly [number, number])[]> = {
  Support: [
    [0, 1],
    [1, 1],
    [2, 4],
    [3, 3],
    [5, 2],
  ],
  Retention: [
    [1, 2],
    [4, 4],
    [5, 2],
  ],
};

function sampleAcquisition(rng: DemoRandom, start: number, end: number): number {
  // Growth over the two years plus a holiday-season bump (late November to December: gifts and gear).
  for (;;) {
    const t = start + rng.next() * (end - start);
    const growth = 0.6 + 0.8 * ((t - start) / (end - start));
    const doy = localDayOfYear(t);
    const season = doy >= 325 && doy <= 360 ? 1.6 : 1;
    if (rng.next() * 2.24 < growth * season) return t;
  }
}

/** A plausible local time of day for a customer action (orders and emails cluster in the day and evening). */
function customerHour(rng: DemoRandom): number {
  return rng.weighted([
    [rng.next() * 6, 3],
    [6 + rng.next() * 6, 30],
    [12 + rng.next() * 6, 35],
    [18 + rng.next() * 6, 32],
  ]);
}

function atCustomerTime(rng: DemoRandom, ms: number): number {
  return atLocalHour(ms, customerHour(rng));
}

const ticketDelayDays: Record<string, [number, number]> = {
  late_delivery: [5, 12],
  damaged_item: [3, 8],
  wrong_grind: [3, 7],
  refund_request: [4, 20],
  double_charge: [0, 3],
  praise: [4, 15],
};

function planThread(
  rng: DemoRandom,
  createdAt: number,
  channel: Channel,
  topic: TicketTopic,
  frustrated: boolean,
): Pick<SimTicket, "steps" | "solvedAt" | "reopenedAt" | "firstResponseAt"> {
  const m = demoModel;
  const steps: SimTicket["steps"] = [{ at: createdAt, from: "customer", part: "opening" }];
  let firstResponseAt: number;
  if (channel === "chat") firstResponseAt = createdAt + rng.int(1, 12) * MINUTE;
  else if (channel === "phone") firstResponseAt = createdAt + rng.int(2, 9) * MINUTE;
  else {
    let minutes = rng.logNormal(100, 1.0);
    if (rng.chance(m.slipProbability)) minutes += rng.int(600, 1800);
    firstResponseAt = addStaffedMinutes(createdAt, minutes);
  }
  const slow = firstResponseAt - createdAt > m.slowFirstResponseHours * HOUR;
  if (slow && rng.chance(0.35))
    steps.push({ at: firstResponseAt - rng.int(2, 20) * MINUTE, from: "note", part: "note" });
  steps.push({ at: firstResponseAt, from: "agent", part: "reply" });
  let solved: number;
  const followUpChance = (channel === "phone" ? 0.25 : 0.55) + (frustrated ? 0.15 : 0);
  if (topic.followUps.length > 0 && rng.chance(followUpChance)) {
    const followUp =
      firstResponseAt + (channel === "chat" ? rng.int(1, 6) * MINUTE : rng.logNormal(5 * HOUR, 1.0));
    steps.push({ at: followUp, from: "customer", part: "followUp" });
    if (topic.closings.length > 0 && rng.chance(0.72)) {
      const closing =
        channel === "chat"
          ? followUp + rng.int(1, 5) * MINUTE
          : addStaffedMinutes(followUp, rng.logNormal(60, 0.9));
      steps.push({ at: closing, from: "agent", part: "closing" });
      solved = closing + rng.int(0, 30) * MINUTE;
    } else {
      solved = addStaffedMinutes(followUp, rng.logNormal(90, 0.8));
    }
  } else {
    // Answered and left pending; solved by the agent or the pending timeout a few days later.
    solved = rng.chance(0.5)
      ? firstResponseAt + rng.int(0, 20) * MINUTE
      : firstResponseAt + rng.int(2, 4) * DAY;
  }
  const solvedAt = [solved];
  let reopenedAt: number | null = null;
  const reopenChance =
    topic.key === "praise"
      ? 0
      : m.reopenProbability.base +
        (slow ? m.reopenProbability.slow : 0) +
        (frustrated ? m.reopenProbability.frustrated : 0);
  if (rng.chance(reopenChance)) {
    reopenedAt = solved + rng.logNormal(2 * DAY, 0.6);
    steps.push({ at: reopenedAt, from: "customer", part: "reopen" });
    const reply = addStaffedMinutes(reopenedAt, rng.logNormal(90, 1.0));
    steps.push({ at: reply, from: "agent", part: "reopenReply" });
    solvedAt.push(reply + rng.int(0, 2 * 24 * 60) * MINUTE);
  }
  // Threads stay within six messages: the internal note gives way first.
  const kept = steps.length > 6 ? steps.filter((step) => step.part !== "note") : steps;
  return { steps: kept, solvedAt, reopenedAt, firstResponseAt };
}

function simulateCustomer(
  index: number,
  seedRng: DemoRandom,
  start: number,
  end: number,
  organisation: number | null,
): SimCustomer {
  const m = demoModel;
  const rng = seedRng.fork(`customer:${index}`);
  const wholesale = organisation !== null;
  const rate = wholesale ? m.wholesalePurchaseRate : m.purchaseRate;
  const drop = wholesale ? m.wholesaleDropoutRate : m.dropoutRate;
  const lambda = rng.gamma(rate.shape, rate.scale);
  const mu = rng.gamma(drop.shape, drop.scale);
  const meanSpend =
    rng.gamma(m.spend.customerShape, m.spend.customerMeanMinor / m.spend.customerShape) *
    (wholesale ? 2.5 : 1);
  const acquiredAt = atCustomerTime(rng, sampleAcquisition(rng, start, end));
  const customer: SimCustomer = {
    index,
    rng,
    acquiredAt,
    organisation,
    lambda,
    mu,
    meanSpend,
    orders: [],
    tickets: [],
    truth: {
      purchaseRatePerDay: lambda,
      dropoutRatePerDay: mu,
      droppedOutAt: null,
      badServiceAt: null,
      wonBackAt: null,
      daysAtRiskBefore: 0,
      daysAtRiskAfter: 0,
      dropoutsBefore: 0,
      dropoutsAfter: 0,
    },
  };

  let hazard = mu;
  let deathAt = acquiredAt + rng.exponential(hazard) * DAY;
  let badAt: number | null = null;
  let wonBack = false;
  let t = acquiredAt;
  let frustratedBias = false;

  const raiseHazard = (at: number) => {
    // Memorylessness: a customer still alive at `at` has a fresh exponential remaining lifetime at the new rate.
    if (badAt !== null || at >= deathAt || at > end) return;
    badAt = at;
    hazard = mu * m.badServiceHazardRatio;
    deathAt = at + rng.exponential(hazard) * DAY;
    frustratedBias = true;
  };

  const addTicket = (topic: TicketTopic, orderIndex: number | null, around: number) => {
    const [lo, hi] = ticketDelayDays[topic.key] ?? [2, 45];
    let createdAt = atCustomerTime(rng, around + (lo + rng.next() * (hi - lo)) * DAY);
    let channel: Channel = rng.weighted([
      ["email", 70],
      ["chat", 17],
      ["phone", 8],
      ["web", 5],
    ]);
    // Chat and phone exist only while someone is there to answer.
    if ((channel === "chat" || channel === "phone") && !isStaffed(createdAt)) channel = "email";
    if (channel === "phone") createdAt = Math.max(createdAt, around + HOUR);
    if (createdAt >= end) return;
    const frustrated = topic.frustrated.length > 0 && rng.chance(frustratedBias ? 0.35 : 0.1);
    const thread = planThread(rng, createdAt, channel, topic, frustrated);
    const team = topic.team;
    const priority = frustrated && topic.key !== "how_to_brew" ? "high" : rng.weighted(topic.priority);
    const ticket: SimTicket = {
      topic,
      orderIndex,
      channel,
      frustrated,
      createdAt,
      ...thread,
      agent: rng.weighted(agentsByTeam[team]),
      priority,
      variant: rng.int(0, 1_000_000),
    };
    customer.tickets.push(ticket);
    const slow = thread.firstResponseAt - createdAt > m.slowFirstResponseHours * HOUR;
    const badMoments = [slow ? thread.firstResponseAt : null, thread.reopenedAt].filter(
      (x): x is number => x !== null && x < end,
    );
    if (badMoments.length > 0) raiseHazard(Math.min(...badMoments));
  };

  const orderTopics = ticketTopics.filter((x) => x.aboutOrder);
  const standaloneTopics = ticketTopics.filter((x) => !x.aboutOrder);
  const placeOrder = (at: number) => {
    customer.orders.push(at);
    const orderIndex = customer.orders.length - 1;
    if (rng.chance(m.orderTicketProbability)) {
      addTicket(rng.weighted(orderTopics.map((x) => [x, x.weight] as const)), orderIndex, at);
    }
    if (rng.chance(m.standaloneTicketProbability)) {
      addTicket(rng.weighted(standaloneTopics.map((x) => [x, x.weight] as const)), null, at);
    }
  };

  placeOrder(t);
  for (let guard = 0; guard < 400; guard++) {
    const next = t + rng.exponential(lambda) * DAY;
    if (next > deathAt) {
      if (!wonBack && rng.chance(m.winBack.probability)) {
        const back = atCustomerTime(rng, deathAt + rng.int(m.winBack.minGapDays, m.winBack.maxGapDays) * DAY);
        if (back < end) {
          wonBack = true;
          customer.truth.wonBackAt = new Date(back);
          deathAt = back + rng.exponential(hazard) * DAY;
          t = back;
          placeOrder(t);
          continue;
        }
      }
      break;
    }
    if (next >= end) break;
    t = atCustomerTime(rng, next);
    if (t >= end) break;
    placeOrder(t);
  }
  if (deathAt < end) customer.truth.droppedOutAt = new Date(deathAt);
  if (badAt !== null) customer.truth.badServiceAt = new Date(badAt);
  // Exposure for the hazard-ratio check: time alive before and after the bad experience (ignoring win-backs).
  const aliveUntil = Math.min(deathAt, end);
  const lastStart = customer.truth.wonBackAt ? customer.truth.wonBackAt.getTime() : acquiredAt;
  const died = deathAt < end ? 1 : 0;
  if (badAt !== null && badAt >= lastStart) {
    customer.truth.daysAtRiskBefore = (badAt - lastStart) / DAY;
    customer.truth.daysAtRiskAfter = (aliveUntil - badAt) / DAY;
    customer.truth.dropoutsAfter = died;
  } else if (badAt === null) {
    customer.truth.daysAtRiskBefore = (aliveUntil - lastStart) / DAY;
    customer.truth.dropoutsBefore = died;
  } else {
    customer.truth.daysAtRiskAfter = (aliveUntil - lastStart) / DAY;
    customer.truth.dropoutsAfter = died;
  }
  return customer;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering: ids in time order, names, addresses, baskets, texts, timeline.

function asciiFold(value: string): string {
  return value
    .replace(/[øØ]/g, "o")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .replace(/ß/g, "ss")
    .replace(/[æÆ]/g, "ae")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

function slugify(value: string): string {
  return value.replace(/&/g, "and").split(/\s+/).map(asciiFold).filter(Boolean).join("-");
}

function fillSlots(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => slots[key] ?? whole);
}

function formatMoney(minor: number): string {
  return `$${(minor / 100).toFixed(2)}`;
}

function buildBasket(rng: DemoRandom, target: number, subscriber: boolean, wholesale: boolean): OrderItem[] {
  const lines = new Map<string, OrderItem>();
  const add = (product: Product, quantity: number) => {
    const existing = lines.get(product.sku);
    if (existing) existing.quantity += quantity;
    else
      lines.set(product.sku, {
        sku: product.sku,
        name: product.name,
        quantity,
        unitAmountMinor: product.priceMinor,
      });
  };
  const byKind = (kind: Product["kind"]) => products.filter((p) => p.kind === kind);
  const bulk = products.filter((p) => p.sku.endsWith("-5L"));
  const bags = byKind("beans").filter((p) => !p.sku.endsWith("-5L"));
  if (wholesale) add(rng.pick(bulk), rng.int(1, 3));
  else if (subscriber && rng.chance(0.75)) add(rng.pick(byKind("subscription")), 1);
  let subtotal = () => [...lines.values()].reduce((s, l) => s + l.quantity * l.unitAmountMinor, 0);
  for (let guard = 0; guard < 8 && subtotal() < target * 0.85; guard++) {
    const kind = rng.weighted<Product["kind"]>([
      ["beans", 70],
      ["gear", 22],
      ["gift", 8],
    ]);
    const pool = kind === "beans" ? (wholesale ? bulk : bags) : byKind(kind);
    const product = rng.pick(pool);
    if (lines.size > 0 && product.priceMinor > target * 1.6) continue;
    add(product, kind === "beans" && rng.chance(0.25) ? 2 : 1);
  }
  if (lines.size === 0) add(rng.pick(bags), 1);
  subtotal = () => [...lines.values()].reduce((s, l) => s + l.quantity * l.unitAmountMinor, 0);
  const items = [...lines.values()];
  if (subtotal() < freeShippingFromMinor) {
    items.push({ sku: "SHIP-STD", name: "Standard shipping", quantity: 1, unitAmountMinor: shippingMinor });
  }
  return items;
}

function pickName(rng: DemoRandom): {
  name: string | null;
  first: string;
  last: string | null;
  native: boolean;
} {
  const roll = rng.next();
  if (roll < 0.03) {
    const name = rng.pick(nativeScriptNames);
    return { name, first: name, last: null, native: true };
  }
  const first = rng.pick(firstNames);
  if (roll < 0.05) return { name: null, first, last: null, native: false };
  if (roll < 0.09) return { name: first, first, last: null, native: false };
  const last = rng.pick(lastNames);
  return { name: `${first} ${last}`, first, last, native: false };
}

function emailLocalPart(rng: DemoRandom, first: string, last: string | null, native: boolean): string {
  if (native) return `${rng.pick(["coffee", "hello", "mail", "home", "me"])}.${rng.hex(5)}`;
  const f = asciiFold(first);
  const l = last ? asciiFold(last) : "";
  if (!l) return `${f}${rng.int(1, 99)}`;
  return rng.weighted([
    [`${f}.${l}`, 35],
    [`${f}${l}`, 15],
    [`${f[0]}${l}`, 15],
    [`${f}_${l}${rng.int(1, 99)}`, 10],
    [`${f}${rng.int(1960, 2005)}`, 10],
    [`${l}.${f}`, 5],
    [`${f}.${l[0]}`, 10],
  ]);
}

const reopenTexts = [
  "Hi {agent},\n\nSorry to reopen this, but the problem isn't solved. {issue}\n\n{first}",
  "This is still not resolved. Can someone please actually look at it?",
  "Hello again - unfortunately it happened again with my latest order. {issue}",
];
const frustratedReopenTexts = [
  "I was told this was fixed. It is not. This is the third time I'm writing about the same thing.",
  "Still waiting. Honestly I'm close to cancelling and going elsewhere.",
];
const reopenReplies = [
  "Hi {first},\n\nI'm sorry this wasn't resolved the first time. I've escalated it to our operations lead and added a credit of $10 to your account for the trouble. I'll follow up personally.\n\n{agent}",
  "Hi {first},\n\nApologies - you're right, we dropped the ball. I've fixed it properly this time and confirmed with the warehouse.\n\n{agent}",
];
const slowNotes = [
  "This one slipped through over the weekend queue - replying now, offering a credit.",
  "Missed in the backlog after the holiday rush. Customer waited too long; flagging for the weekly review.",
  "Late reply, sorry team. Carrier portal was down so I couldn't check tracking earlier.",
];
const issueSummaries: Record<string, string> = {
  late_delivery: "The package still hasn't arrived.",
  damaged_item: "The replacement arrived damaged too.",
  wrong_grind: "The replacement was the wrong grind again.",
  refund_request: "I still don't see the refund on my statement.",
  double_charge: "There are still two charges on my card.",
  subscription_change: "I was charged again after cancelling.",
  how_to_brew: "It still tastes sour.",
  account_login: "I still can't log in.",
  wholesale_enquiry: "We never received the samples.",
  praise: "",
};

function pickVariant<T>(items: readonly T[], variant: number, salt: number): T {
  return items[(variant + salt * 7919) % items.length];
}

/** Builds the whole demo workspace in memory, deterministically from the seed, the clock and the scale. */
export function planDemoWorkspace(options: DemoPlanOptions): DemoPlan {
  const m = demoModel;
  const seed = options.seed ?? defaultDemoSeed;
  const scale = options.scale ?? 1;
  const end = options.now.getTime();
  const start = end - m.windowDays * DAY;
  const root = createDemoRandom(seed);
  const supportAddress = `support@${options.mailDomain}`;
  const base: DemoIdBase = {
    organisation: 1,
    customer: 1,
    identity: 1,
    order: 1,
    ticket: 1,
    message: 1,
    timeline: 1,
    ...options.idBase,
  };

  // Organisations (wholesale accounts) and who belongs to them.
  const orgRng = root.fork("organisations");
  const organisationCount = Math.max(2, Math.round(m.organisationsAtScale1 * scale));
  const orgNames = orgRng
    .shuffle([...organisationNames])
    .slice(0, Math.min(organisationCount, organisationNames.length));
  const customerCount = Math.max(20, Math.round(m.customersAtScale1 * scale));

  const memberRng = root.fork("membership");
  const sims: SimCustomer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const organisation = memberRng.chance(m.organisationMemberShare)
      ? memberRng.int(0, orgNames.length - 1)
      : null;
    sims.push(simulateCustomer(i, root, start, end, organisation));
  }
  sims.sort((a, b) => a.acquiredAt - b.acquiredAt || a.index - b.index);

  const organisations: PlanOrganisation[] = orgNames.map((name, i) => {
    const members = sims.filter((s) => s.organisation === i);
    const first = members.length > 0 ? Math.min(...members.map((s) => s.acquiredAt)) : start + i * DAY;
    return {
      id: base.organisation + i,
      name,
      domain: `${slugify(name)}.example`,
      createdAt: new Date(first - 2 * DAY),
    };
  });

  // Customers and identities.
  const identityRng = root.fork("identities");
  const phonePool = identityRng.shuffle(
    phoneAreaCodes.flatMap((area) =>
      Array.from({ length: 100 }, (_, n) => `+1 (${area}) 555-01${String(n).padStart(2, "0")}`),
    ),
  );
  const usedEmails = new Set<string>();
  const customers: PlanCustomer[] = [];
  const identities: PlanIdentity[] = [];
  const contact: { first: string; email: string; name: string | null }[] = [];
  sims.forEach((sim, i) => {
    const id = base.customer + i;
    const rng = sim.rng.fork("identity");
    const person = pickName(rng);
    const domain =
      sim.organisation !== null ? organisations[sim.organisation].domain : rng.weighted(consumerMailDomains);
    let local = emailLocalPart(rng, person.first, person.last, person.native);
    while (usedEmails.has(`${local}@${domain}`)) local = `${local}${rng.int(1, 9)}`;
    const email = `${local}@${domain}`;
    usedEmails.add(email);
    contact.push({ first: person.first, email, name: person.name });
    const createdAt = new Date(sim.acquiredAt - rng.int(2, 40) * MINUTE);
    identities.push({
      id: 0,
      customerId: id,
      kind: "email",
      value: normalizeIdentity("email", email),
      isPrimary: true,
      createdAt,
    });
    if (phonePool.length > 0 && rng.chance(sim.organisation !== null ? 0.6 : 0.25)) {
      const phone = phonePool.pop() as string;
      identities.push({
        id: 0,
        customerId: id,
        kind: "phone",
        value: normalizeIdentity("phone", phone),
        isPrimary: false,
        createdAt,
      });
    }
    const subscriber = sim.lambda > 1 / 24 && sim.organisation === null;
    const tags: string[] = [];
    if (subscriber) tags.push("subscriber");
    if (sim.organisation !== null) tags.push("wholesale");
    if (rng.chance(0.3)) tags.push("newsletter");
    customers.push({
      id,
      name: person.name,
      organizationId: sim.organisation !== null ? base.organisation + sim.organisation : null,
      tier: sim.organisation !== null ? "wholesale" : null,
      tags,
      customFields: {
        source: rng.weighted([
          ["search", 30],
          ["instagram", 22],
          ["friend-referral", 18],
          ["farmers-market", 12],
          ["podcast", 8],
          ["gift", 10],
        ]),
        favouriteRoast: rng.pick(["light", "medium", "dark", "espresso", "decaf"]),
      },
      createdAt,
      updatedAt: createdAt,
    });
  });
  identities.forEach((identity, i) => {
    identity.id = base.identity + i;
  });

  // Orders, numbered in the order they were placed.
  type RawOrder = { sim: number; at: number; index: number };
  const rawOrders: RawOrder[] = [];
  sims.forEach((sim, s) => {
    sim.orders.forEach((at, index) => {
      rawOrders.push({ sim: s, at, index });
    });
  });
  rawOrders.sort((a, b) => a.at - b.at || a.sim - b.sim || a.index - b.index);
  const orderIdOf = new Map<string, number>();
  const orders: PlanOrder[] = rawOrders.map((raw, i) => {
    const sim = sims[raw.sim];
    const rng = sim.rng.fork(`order:${raw.index}`);
    const subscriber = customers[raw.sim].tags.includes("subscriber");
    const target = rng.gamma(m.spend.orderShape, sim.meanSpend / m.spend.orderShape);
    const items = buildBasket(rng, target, subscriber, sim.organisation !== null);
    const amountMinor = items.reduce((sum, item) => sum + item.quantity * item.unitAmountMinor, 0);
    const age = end - raw.at;
    const status: PlanOrder["status"] =
      age < 1 * DAY
        ? "paid"
        : age < 2 * DAY
          ? "fulfilled"
          : age < 5 * DAY
            ? rng.chance(0.5)
              ? "fulfilled"
              : "delivered"
            : rng.chance(0.015)
              ? "cancelled"
              : rng.chance(0.012)
                ? "refunded"
                : "delivered";
    orderIdOf.set(`${raw.sim}:${raw.index}`, i);
    return {
      id: base.order + i,
      customerId: base.customer + raw.sim,
      externalId: `TW-${10_000 + base.order + i}`,
      placedAt: new Date(raw.at),
      amountMinor,
      currency: demoCurrency,
      items,
      status: age < 10 * MINUTE ? "placed" : status,
      createdAt: new Date(raw.at),
    };
  });

  // VIPs: the top 3% of customers by lifetime spend.
  const spend = new Map<number, number>();
  for (const order of orders)
    spend.set(order.customerId, (spend.get(order.customerId) ?? 0) + order.amountMinor);
  // Wholesale accounts have their own tier; VIP is for individual buyers.
  const ranked = [...spend.entries()]
    .filter(([customerId]) => customers[customerId - base.customer].tier === null)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [customerId] of ranked.slice(0, Math.max(1, Math.round(customers.length * 0.03)))) {
    const customer = customers[customerId - base.customer];
    if (customer.tier === null) customer.tier = "vip";
    customer.tags.push("vip");
  }

  // Tickets, numbered by creation time; messages truncated at "now" and statuses replayed from what happened.
  type RawTicket = { sim: number; ticket: SimTicket; n: number };
  const rawTickets: RawTicket[] = [];
  sims.forEach((sim, s) => {
    sim.tickets.forEach((ticket, n) => {
      rawTickets.push({ sim: s, ticket, n });
    });
  });
  rawTickets.sort((a, b) => a.ticket.createdAt - b.ticket.createdAt || a.sim - b.sim || a.n - b.n);

  const tickets: PlanTicket[] = [];
  const messagesUnordered: (Omit<PlanMessage, "id" | "inReplyTo" | "references"> & { order: number })[] = [];
  const timelineUnordered: Omit<PlanTimelineEvent, "id">[] = [];
  const agentFirst = agentProfiles.map((a) => a.name.split(" ")[0]);
  const supportFrom = (agent: number): MailAddress => ({
    name: `${agentProfiles[agent].name} (${businessName})`,
    address: supportAddress,
  });

  rawTickets.forEach((raw, i) => {
    const ticketId = base.ticket + i;
    const sim = sims[raw.sim];
    const customerId = base.customer + raw.sim;
    const who = contact[raw.sim];
    const t = raw.ticket;
    const rng = sim.rng.fork(`ticket:${raw.n}`);
    const order = t.orderIndex !== null ? orders[orderIdOf.get(`${raw.sim}:${t.orderIndex}`) ?? 0] : null;
    const orderProduct =
      order?.items.find((item) => item.sku !== "SHIP-STD")?.name ?? rng.pick(products).name;
    const grind = rng.pick(grinds);
    const slots: Record<string, string> = {
      first: who.first,
      agent: agentFirst[t.agent],
      order: order?.externalId ?? "",
      orderDate: order ? formatLocalDate(order.placedAt.getTime()) : "",
      product: orderProduct,
      days: String(order ? Math.max(1, Math.round((t.createdAt - order.placedAt.getTime()) / DAY)) : 3),
      grind,
      wrongGrind: rng.pick(grinds.filter((g) => g !== grind)),
      issue: issueSummaries[t.topic.key],
    };
    const subject = fillSlots(pickVariant(t.topic.subjects, t.variant, 0), slots);
    const customerAddress: MailAddress = who.name
      ? { name: who.name, address: who.email }
      : { address: who.email };

    const visible = t.steps.filter((step) => step.at <= end).sort((a, b) => a.at - b.at);
    let status = "new" as TicketStatus;
    let assigned = false;
    let lastCustomer: number | null = null;
    const solvedEvents = t.solvedAt.map((at, k) => ({ at, k }));
    const statusChanges: { at: number; from: TicketStatus; to: TicketStatus }[] = [];
    const setStatus = (at: number, to: TicketStatus) => {
      if (to !== status) statusChanges.push({ at, from: status, to });
      status = to;
    };
    let solvedAt: number | null = null;
    let cursor = 0;
    const applySolvesUntil = (at: number) => {
      while (cursor < solvedEvents.length && solvedEvents[cursor].at <= at) {
        setStatus(solvedEvents[cursor].at, "solved");
        solvedAt = solvedEvents[cursor].at;
        cursor++;
      }
    };
    visible.forEach((step, k) => {
      applySolvesUntil(step.at - 1);
      const kind = step.part;
      let text: string;
      if (kind === "opening")
        text = fillSlots(
          pickVariant(t.frustrated ? t.topic.frustrated : t.topic.openings, t.variant, 1),
          slots,
        );
      else if (kind === "reply") text = fillSlots(pickVariant(t.topic.replies, t.variant, 2), slots);
      else if (kind === "followUp") text = fillSlots(pickVariant(t.topic.followUps, t.variant, 3), slots);
      else if (kind === "closing") text = fillSlots(pickVariant(t.topic.closings, t.variant, 4), slots);
      else if (kind === "reopen")
        text = fillSlots(
          pickVariant(t.frustrated ? frustratedReopenTexts : reopenTexts, t.variant, 5),
          slots,
        );
      else if (kind === "reopenReply") text = fillSlots(pickVariant(reopenReplies, t.variant, 6), slots);
      else text = pickVariant(slowNotes, t.variant, 7);
      if (t.channel === "phone" && kind === "opening")
        text = `Call from ${who.name ?? who.email}: ${text.split("\n\n")[0].replace(/^Hi[^\n]*\n?/, "")}`;
      if (step.from === "customer") {
        lastCustomer = step.at;
        if (status === "pending" || status === "solved" || status === "on_hold") {
          if (status === "solved") solvedAt = null;
          setStatus(step.at, "open");
        }
      } else if (step.from === "agent") {
        assigned = true;
        if (status === "new" || status === "open") setStatus(step.at, "pending");
      }
      const inbound = step.from === "customer";
      const isEmail = t.channel === "email";
      messagesUnordered.push({
        order: k,
        ticketId,
        direction: inbound ? "inbound" : "outbound",
        isInternal: step.from === "note",
        channel: t.channel,
        authorAgent: inbound ? null : t.agent,
        authorCustomerId: inbound ? customerId : null,
        text,
        mailMessageId: null,
        fromAddress:
          isEmail && step.from !== "note" ? (inbound ? customerAddress : supportFrom(t.agent)) : null,
        toAddresses:
          isEmail && step.from !== "note"
            ? [inbound ? { name: businessName, address: supportAddress } : customerAddress]
            : [],
        mailSubject: isEmail && step.from !== "note" ? (k === 0 ? subject : `Re: ${subject}`) : null,
        deliveryStatus: inbound ? "received" : "sent",
        deliveryAttempts: inbound || step.from === "note" ? 0 : 1,
        sentAt: inbound || step.from === "note" ? null : new Date(step.at),
        createdAt: new Date(step.at),
      });
      const summaryWho = inbound ? "Customer" : step.from === "note" ? "Internal note" : "Agent reply";
      timelineUnordered.push({
        customerId,
        ticketId,
        kind: step.from === "note" ? "ticket.note" : inbound ? "message.received" : "message.sent",
        summary: `${summaryWho} on #${ticketId} by ${t.channel}`,
        actorAgent: inbound ? null : t.agent,
        data: { messageIndex: k },
        occurredAt: new Date(step.at),
      });
    });
    applySolvesUntil(end);
    let closedAt: number | null = null;
    if (status === "solved" && solvedAt !== null && (solvedAt as number) + 4 * DAY <= end) {
      closedAt = (solvedAt as number) + 4 * DAY;
      setStatus(closedAt, "closed");
    }
    if (
      status === "pending" &&
      (t.topic.key === "damaged_item" || t.topic.key === "late_delivery") &&
      rng.chance(0.25)
    ) {
      setStatus(visible[visible.length - 1].at + 5 * MINUTE, "on_hold");
    }
    const lastMessageAt = visible[visible.length - 1].at;
    const updatedAt = Math.max(lastMessageAt, ...statusChanges.map((c) => c.at));
    const tags = [t.topic.tag];
    if (t.frustrated) tags.push("escalated");
    if (customers[raw.sim].tags.includes("vip")) tags.push("vip");
    if (t.reopenedAt !== null && t.reopenedAt <= end) tags.push("reopened");
    tickets.push({
      id: ticketId,
      subject,
      status,
      priority: t.priority,
      channel: t.channel,
      customerId,
      assigneeAgent: assigned || rng.chance(0.4) ? t.agent : null,
      teamIndex: teamNames.indexOf(t.topic.team),
      tags: tags.sort(),
      customFields: order ? { orderNumber: order.externalId } : {},
      createdAt: new Date(t.createdAt),
      updatedAt: new Date(updatedAt),
      lastMessageAt: new Date(lastMessageAt),
      lastCustomerMessageAt: lastCustomer !== null ? new Date(lastCustomer) : null,
      solvedAt: status === "solved" || status === "closed" ? new Date(solvedAt ?? lastMessageAt) : null,
      closedAt: closedAt !== null ? new Date(closedAt) : null,
    });
    timelineUnordered.push({
      customerId,
      ticketId,
      kind: "ticket.created",
      summary: `Ticket #${ticketId} opened by ${t.channel}: ${subject}`,
      actorAgent: null,
      data: order ? { orderNumber: order.externalId } : {},
      occurredAt: new Date(t.createdAt),
    });
    for (const change of statusChanges) {
      if (change.from === "new" || change.to === "pending") continue;
      timelineUnordered.push({
        customerId,
        ticketId,
        kind: "ticket.status_changed",
        summary: `Ticket #${ticketId} ${change.from} → ${change.to}`,
        actorAgent: change.to === "solved" ? t.agent : null,
        data: { from: change.from, to: change.to },
        occurredAt: new Date(change.at),
      });
    }
    // A refund request that got handled refunds the order.
    if (order && t.topic.key === "refund_request" && (status === "solved" || status === "closed")) {
      order.status = "refunded";
    }
  });

  // Messages numbered by time; email threads get Message-IDs, In-Reply-To and References like real mail.
  messagesUnordered.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.ticketId - b.ticketId || a.order - b.order,
  );
  const threadIds = new Map<number, string[]>();
  const mailRng = root.fork("message-ids");
  const messages: PlanMessage[] = messagesUnordered.map((raw, i) => {
    const id = base.message + i;
    let mailMessageId: string | null = null;
    let inReplyTo: string | null = null;
    let references: string[] = [];
    if (raw.channel === "email" && !raw.isInternal) {
      const previous = threadIds.get(raw.ticketId) ?? [];
      const stamp = raw.createdAt
        .toISOString()
        .replace(/[-:TZ.]/g, "")
        .slice(0, 14);
      mailMessageId =
        raw.direction === "inbound"
          ? `${stamp}.${mailRng.hex(16)}@${(raw.fromAddress?.address ?? "mail.example").split("@")[1]}`
          : `tend.t${raw.ticketId}.${mailRng.hex(24)}@${options.mailDomain}`;
      inReplyTo = previous.length > 0 ? previous[previous.length - 1] : null;
      references = previous.slice(-10);
      threadIds.set(raw.ticketId, [...previous, mailMessageId]);
    }
    const { order: _order, ...rest } = raw;
    return { ...rest, id, mailMessageId, inReplyTo, references };
  });

  // Customer and order timeline.
  sims.forEach((_sim, s) => {
    timelineUnordered.push({
      customerId: base.customer + s,
      ticketId: null,
      kind: "customer.created",
      summary: "Customer created from the online shop",
      actorAgent: null,
      data: { source: customers[s].customFields.source },
      occurredAt: customers[s].createdAt,
    });
  });
  for (const order of orders) {
    const count = order.items
      .filter((item) => item.sku !== "SHIP-STD")
      .reduce((n, item) => n + item.quantity, 0);
    timelineUnordered.push({
      customerId: order.customerId,
      ticketId: null,
      kind: "order.placed",
      summary: `Order ${order.externalId} placed: ${formatMoney(order.amountMinor)}, ${count} item${count === 1 ? "" : "s"}`,
      actorAgent: null,
      data: { orderId: order.id, amountMinor: order.amountMinor, currency: order.currency },
      occurredAt: order.placedAt,
    });
    if (order.status === "refunded" || order.status === "cancelled") {
      const at = new Date(
        Math.min(end, order.placedAt.getTime() + (order.status === "cancelled" ? 3 * HOUR : 6 * DAY)),
      );
      timelineUnordered.push({
        customerId: order.customerId,
        ticketId: null,
        kind: `order.${order.status}`,
        summary: `Order ${order.externalId} ${order.status}: ${formatMoney(order.amountMinor)}`,
        actorAgent: null,
        data: { orderId: order.id },
        occurredAt: at,
      });
    }
    const customer = customers[order.customerId - base.customer];
    if (order.placedAt > customer.updatedAt) customer.updatedAt = order.placedAt;
  }
  timelineUnordered.sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      a.customerId - b.customerId ||
      (a.ticketId ?? 0) - (b.ticketId ?? 0) ||
      a.kind.localeCompare(b.kind),
  );
  // Message timeline events carry the message id, as the live ticket service records them.
  const messageIds = new Map<string, number>();
  for (const message of messages)
    messageIds.set(
      `${message.ticketId}:${message.createdAt.getTime()}:${message.direction}:${message.isInternal}`,
      message.id,
    );
  const timeline: PlanTimelineEvent[] = timelineUnordered.map((event, i) => {
    if (event.ticketId !== null && (event.kind.startsWith("message.") || event.kind === "ticket.note")) {
      const direction = event.kind === "message.received" ? "inbound" : "outbound";
      const messageId = messageIds.get(
        `${event.ticketId}:${event.occurredAt.getTime()}:${direction}:${event.kind === "ticket.note"}`,
      );
      return { ...event, id: base.timeline + i, data: { messageId: messageId ?? null } };
    }
    return { ...event, id: base.timeline + i };
  });

  const truth: CustomerTruth[] = sims.map((sim, s) => ({ customerId: base.customer + s, ...sim.truth }));

  return {
    now: options.now,
    seed,
    scale,
    workspace: { name: businessName, supportAddress, timezone: businessTimezone },
    organisations,
    customers,
    identities,
    orders,
    tickets,
    messages,
    timeline,
    truth,
  };
}
