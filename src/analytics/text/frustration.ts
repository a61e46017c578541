import vader from "vader-sentiment";
import { frustrationThresholds } from "./frustration-levels.ts";

// Frustration of one inbound customer message: VADER's sentiment (a lexicon with negation, intensifiers, "but" and
// capitals; English only) plus escalation cues, each detected by wording and named so an agent sees why. The parts
// add up on a logit scale, so a calm "thanks!" pulls a mention of cancelling down and a sarcastic "great" does not.
// Pure: text and the customer's recent contact count in, score and cues out.

export type FrustrationCueCode =
  | "cancel_threat"
  | "repeated_ask"
  | "repeated_contact"
  | "refund_demand"
  | "chargeback_threat"
  | "legal_threat"
  | "shouting"
  | "exasperation"
  | "sarcasm"
  | "long_wait";

export type FrustrationCue = { code: FrustrationCueCode; label: string };
export type FrustrationLevel = "none" | "mild" | "high";

export type FrustrationInput = {
  text: string;
  /** Inbound contacts by the same customer within `contactWindowDays`, this one included (a database count). */
  recentContacts?: number;
  contactWindowDays?: number;
};

export type FrustrationResult = {
  /** 0..1; at or above `flagThreshold` the message counts as frustrated. */
  score: number;
  frustrated: boolean;
  level: FrustrationLevel;
  cues: FrustrationCue[];
  /** VADER's compound score (-1..1) of the customer's own words, or null when the text is not English. */
  sentiment: number | null;
};

/** The weights (logit scale) and thresholds, hand-set on the dev half of test/fixtures/empathy. */
export const frustrationModel = {
  intercept: -2.2,
  negativeSentiment: 3.6,
  /** Negative tone alone stops short of the flag: it takes a cue (or a stronger one) to count as frustrated. */
  maxSentimentLogit: 2.1,
  positiveSentiment: -2.0,
  cues: {
    cancel_threat: 2.8,
    repeated_ask: 2.6,
    repeated_contact: 1.5,
    refund_demand: 2.2,
    chargeback_threat: 3.2,
    legal_threat: 3.2,
    shouting: 2.4,
    exasperation: 2.8,
    sarcasm: 3.2,
    long_wait: 1.6,
  } satisfies Record<FrustrationCueCode, number>,
  /** Each contact beyond the threshold adds this much to the repeated-contact weight. */
  extraContact: 0.25,
  contactThreshold: 3,
  flagThreshold: frustrationThresholds.flag,
  mildThreshold: frustrationThresholds.mild,
};

/** Longer texts are cut: the opening of a message says how the customer feels, and VADER is linear in length. */
const maxScoredChars = 2000;

/** The customer's own words: quoted earlier mail ("> ...", "On ... wrote:", Outlook headers) is dropped. */
export function ownWords(text: string): string {
  const kept: string[] = [];
  for (const line of text.slice(0, maxScoredChars * 2).split(/\r?\n/)) {
    if (
      /^\s*(on\s.{0,200}\swrote:|-{2,}\s*original message|from:\s.+|le\s.{0,200}a écrit\s?:|am\s.{0,200}schrieb)/i.test(
        line,
      )
    )
      break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join("\n").trim().slice(0, maxScoredChars);
}

/** VADER's compound score of a text (-1 very negative .. 1 very positive). The baseline in the benchmark. */
export function vaderCompound(text: string): number {
  return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
}

// Common function words of the languages whose escalation wording is listed below; VADER reads English only
// ("die" in German, "dire" in French are negative English words), so other languages skip it.
const englishWords = new Set(
  "the a an i to and is it my you your of for in on this that was be have has not no me we our with at can could would please thanks thank hi hello are do does did order".split(
    " ",
  ),
);
const otherWords = new Set(
  "le la les je ne pas mon ma est et une des vous pour avec der die das ich nicht mein meine ist und ein eine sie mit el los las yo mi es y una que por con il lo non sono è di che per het een ik niet mijn is en van o os não meu minha um uma".split(
    " ",
  ),
);

/** Whether the text reads as English (more English than other function words); short texts count as English. */
export function looksEnglish(text: string): boolean {
  let english = 0;
  let other = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (englishWords.has(word)) english++;
    else if (otherWords.has(word)) other++;
  }
  return other === 0 || english >= other;
}

type CuePattern = { code: FrustrationCueCode; label: string; pattern: RegExp; unless?: RegExp };

// Each pattern is matched case-insensitively on the customer's words. Phrases in French, German, Spanish,
// Italian and Dutch cover the most common escalations only.
const cuePatterns: CuePattern[] = [
  {
    code: "chargeback_threat",
    label: "threatens a chargeback",
    pattern:
      /\b(charge ?backs?|dispute (the|this|that) (charge|payment|transaction)|(my|the) (bank|credit card company|card issuer)\b.{0,40}\b(dispute|claim|report)|(dispute|report)\b.{0,40}\b(with|to) (my|the) (bank|credit card))/i,
  },
  {
    code: "legal_threat",
    label: "threatens legal action or a complaint",
    pattern:
      /\b(lawyers?|attorneys?|solicitors?|legal action|sue (you|them)|suing|small claims|court\b|trading standards|ombudsman|better business bureau|\bBBB\b|consumer (protection|law|rights)|formal complaint|report(ing)? (you|this|it) (to|as)|(one|1)[- ]star|bad review|(post|share)\w* .{0,30}\bon (twitter|x|facebook|social media|reddit|trustpilot)|fraud\b|avocat|Anwalt|abogado|avvocato)/i,
  },
  {
    code: "cancel_threat",
    label: "threatens to cancel or leave",
    pattern:
      /\b(cancel(l?ing|led)?\b.{0,25}\b(subscription|account|membership|plan|contract|everything|order|it)\b|cancel (it|everything)\b|close my account|delete my account|end my (subscription|contract|membership)|switch(ing)? to\b(?! (you|your|the annual|annual|a bigger|a larger))|moving to (another|a different)|another (provider|tool|company|supplier)|(a |your )?competitors?\b|alternatives\b|take (my|our) business elsewhere|never (order|buy|shop|use|come back)\w*\b.{0,30}\bagain|last time i (shop|order|buy)|(ready|going|about) to (leave|stop)|we are leaving|not (be )?renew|stop paying|considering cancel|thinking of cancel|annuler|résilier|kündig|darme de baja|cancelar|disdire|annullare|opzeggen)/i,
    unless:
      /\b(how (do|can|would) (i|we)|is it possible to|i'?d like to|i would like to|we'?d like to|can i|could i|could you|please could you)\b.{0,30}\b(cancel|close|delete)/i,
  },
  {
    code: "repeated_ask",
    label: "has asked before",
    pattern:
      /\b((second|third|fourth|fifth|sixth|umpteenth|nth|\d+(st|nd|rd|th)) time|((?<!(charged|billed|paid)( me| us)? )twice|two times|three times|four times|five times|several times|many times|multiple times)\b|how many (more )?times|still (not|no|nothing|waiting|haven'?t|hasn'?t|isn'?t|doesn'?t|broken|locked|unresolved|no update)|yet again|once again|again and again|(asking|writing|emailing|chasing|contacting|complaining|calling) (you )?again|(is|are) back again|(did|do) not order this|already (told|explained|sent|asked|reported|called|provided)|keep (getting|asking|repeating|telling|sending)|keeps happening|no(body| one) has (replied|responded|got(ten)? back|answered|helped|bothered)|no (reply|response|answer) (yet|since)|why no (reply|response|answer)|with no (answer|reply|response)|following up (for|again)|chasing (this|again|up)|toujours pas|encore une fois|(zweite|dritte|vierte)[ns]? mal|immer noch|tercera vez|otra vez|nadie me responde|nessuno mi risponde|alweer)/i,
  },
  {
    code: "refund_demand",
    label: "demands a refund",
    pattern:
      /\b((want|demand|expect|insist on|need|give me|owed)\b.{0,15}\brefund|refund me|(my|the) money back|want it back|reembolso|remboursement|rückerstattung|rimborso|terugbetaling)/i,
  },
  {
    code: "exasperation",
    label: "exasperated wording",
    pattern:
      /\b(ridiculous|a joke|useless|unacceptable|appalling|pathetic|shambles|nightmare|disgrac\w*|shocking|fed up|sick of|had enough|done (with|being)|enough is enough|waste of (my |our )?time|wasted (hours|days|a lot)|not good enough|(losing|lost|run out of|ran out of) patience|patience has run out|beyond frustrated|(really|so|very|extremely) (angry|upset|annoyed|disappointed)|furious|livid|fuming|unbelievable|how hard can it be|(is|are) (you|anyone) even|you people|does anyone (there )?(actually )?know|thanks for nothing|so-called|seriously\?|what on earth|worst|horrible|terrible|inacceptable|inaceptable|frechheit|unverschämt|harto|arrabbiat\w*|nul\b|scandaleu\w*|schande)/i,
  },
  {
    code: "long_wait",
    label: "has waited long",
    pattern:
      /\b(waiting (for )?(over |more than )?(\d+|two|three|four|five|six|a|an) (minutes|hours|days|weeks|months)|it'?s been (\d+|two|three|four|five|six|a|an|over a) (days|weeks|months)|(\d+|two|three|four|five|six) weeks\b.{0,30}\b(refund|wait|late|still|nothing|for a)|a month without|for the \w+ day in a row|since (monday|tuesday|wednesday|thursday|friday|last week|last month)\b.{0,20}\?|seit (zwei|drei|vier) wochen|depuis (deux|trois) semaines|trois semaines)/i,
  },
];

// Sarcasm: praise next to a failure ("Great, another delivery exception", "Thanks for the 'fast shipping'").
const praiseOpening =
  /^\s*(oh,? )?(great|wonderful|fantastic|brilliant|perfect|lovely|cool|nice|wow|amazing|thanks a lot|thank you for your automated|love (how|that)|so glad|really appreciate|good to know|what a surprise|i guess|sure,|yeah,|thanks for the ['‘"])/i;
const failureNearby =
  /\b(again|still|not\.|only took|hasn'?t|never|lost|losing|broken|breaks|down|charged|cancelled|disconnected|on hold|no reply|doesn'?t|exception|fifth|fourth|third|wait|weeks)\b|['‘"][^'’"]{3,40}['’"]/i;

const shoutingExceptions = new Set(
  "I A OK VAT PDF API SSO USD EUR GBP UK US EU XL XXL XS CSV SMS ID FAQ CEO IT HR TV PC DM BBB URL URLS SKU SKUS USB HDMI GPS CPU iOS PIN OTP".split(
    " ",
  ),
);

/** Capitals and repeated punctuation: a share of upper-case words, or "!!", "??", "?!". */
function isShouting(text: string): boolean {
  const words = text.match(/\p{L}+/gu) ?? [];
  const shouted = words.filter((w) => w.length >= 2 && w === w.toUpperCase() && w !== w.toLowerCase());
  const loud = shouted.filter((w) => !shoutingExceptions.has(w));
  const share = words.length === 0 ? 0 : loud.length / words.length;
  return (
    (loud.length >= 2 && share >= 0.15) || (loud.length >= 1 && share >= 0.5) || /[!?]{2,}|!\s*!/.test(text)
  );
}

const ordinals = [
  "",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];

/** The escalation cues in a message, in a fixed order, each once. */
export function detectFrustrationCues(input: FrustrationInput): FrustrationCue[] {
  const text = ownWords(input.text);
  const cues: FrustrationCue[] = [];
  for (const cue of cuePatterns) {
    if (cue.pattern.test(text) && !(cue.unless?.test(text) ?? false))
      cues.push({ code: cue.code, label: cue.label });
  }
  if (isShouting(text)) cues.push({ code: "shouting", label: "shouting (capitals, !!!)" });
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  if (
    praiseOpening.test(text) &&
    (failureNearby.test(text) || (sentences.length > 1 && /\bnot\.?\s*$/i.test(text)))
  )
    cues.push({ code: "sarcasm", label: "sounds sarcastic" });
  const contacts = input.recentContacts ?? 0;
  if (contacts >= frustrationModel.contactThreshold) {
    const days = input.contactWindowDays ?? 5;
    const nth = ordinals[contacts] ?? `${contacts}th`;
    cues.push({ code: "repeated_contact", label: `${nth} contact in ${days} days` });
  }
  return cues;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The level a stored score shows as (none, mild, high). */
export function frustrationLevel(score: number | null): FrustrationLevel {
  if (score === null) return "none";
  if (score >= frustrationModel.flagThreshold) return "high";
  return score >= frustrationModel.mildThreshold ? "mild" : "none";
}

/** Scores one inbound message. */
export function scoreFrustration(input: FrustrationInput): FrustrationResult {
  const text = ownWords(input.text);
  const cues = detectFrustrationCues(input);
  const sentiment = text.length > 0 && looksEnglish(text) ? vaderCompound(text) : null;
  const model = frustrationModel;
  let logit = model.intercept;
  if (sentiment !== null) {
    // Praise in a sarcastic or exasperated message is not praise ("Not good enough" reads positive to VADER).
    const misread = cues.some((cue) => cue.code === "sarcasm" || cue.code === "exasperation");
    logit +=
      sentiment < 0
        ? Math.min(-sentiment * model.negativeSentiment, model.maxSentimentLogit)
        : misread
          ? 0
          : sentiment * model.positiveSentiment;
  }
  for (const cue of cues) {
    logit += model.cues[cue.code];
    if (cue.code === "repeated_contact") {
      const extra = (input.recentContacts ?? 0) - model.contactThreshold;
      logit += Math.min(extra, 2) * model.extraContact;
    }
  }
  const score = Math.round(sigmoid(logit) * 1000) / 1000;
  return { score, frustrated: score >= model.flagThreshold, level: frustrationLevel(score), cues, sentiment };
}

/** A ticket's frustration: the score and cue labels shown on it. */
export type TicketFrustration = { score: number | null; cues: string[] };

const cueLabelCode = new Map<string, FrustrationCueCode>([
  ...cuePatterns.map((cue) => [cue.label, cue.code] as const),
  ["shouting (capitals, !!!)", "shouting"],
  ["sounds sarcastic", "sarcasm"],
]);

/** The code behind a stored cue label ("third contact in 5 days" → repeated_contact), or null for an unknown one. */
export function cueCodeOfLabel(label: string): FrustrationCueCode | null {
  if (/ contact in \d+ days$/.test(label)) return "repeated_contact";
  return cueLabelCode.get(label) ?? null;
}

/**
 * A ticket's frustration after a customer's message: the highest score since the last agent reply (a calm
 * follow-up does not undo an angry message nobody has answered yet), with the cues of both, the newer label of a
 * cue replacing an older one ("fourth contact" replaces "third contact").
 */
export function frustrationAfterCustomerMessage(
  ticket: TicketFrustration,
  message: FrustrationResult,
): TicketFrustration {
  const newCodes = new Set(message.cues.map((cue) => cue.code));
  const kept = ticket.cues.filter((label) => {
    const code = cueCodeOfLabel(label);
    return code === null || !newCodes.has(code);
  });
  return {
    score: Math.max(ticket.score ?? 0, message.score),
    cues: [...kept, ...message.cues.map((cue) => cue.label)],
  };
}

/**
 * A ticket's frustration after an agent's public reply: halved and at most mild (an answered customer leaves the
 * frustrated view until they write again); below the mild level it is cleared with its cues, so a second reply
 * (or one to a mildly annoyed customer) removes the badge.
 */
export function frustrationAfterAgentReply(ticket: TicketFrustration): TicketFrustration {
  if (ticket.score === null) return ticket;
  const answeredCap = (frustrationModel.mildThreshold + frustrationModel.flagThreshold) / 2;
  const score = Math.round(Math.min(ticket.score / 2, answeredCap) * 1000) / 1000;
  return score < frustrationModel.mildThreshold ? { score: null, cues: [] } : { score, cues: ticket.cues };
}

/** A message of a history to replay (see replayFrustration). */
export type HistoryMessage = {
  ticketId: number;
  customerId: number;
  channel: string;
  text: string;
  at: Date;
  /**
   * The customer speaking (scored), an agent answering (decays the ticket), a contact from before the history being
   * replayed (counted towards repeated contact only), or neither (a note, machine mail).
   */
  role: "customer" | "agent" | "contact" | "other";
  /** A customer message scored already (stored score and cue labels): kept as it is, and still a contact. */
  stored?: { score: number; cues: string[] };
};

/** A stored score and cue labels as a result, for replaying a history that was partly scored at intake. */
export function storedFrustration(stored: { score: number; cues: string[] }): FrustrationResult {
  const cues = stored.cues.flatMap((label) => {
    const code = cueCodeOfLabel(label);
    // A label this version no longer words that way cannot replace a newer one; it is left out.
    return code ? [{ code, label }] : [];
  });
  const level = frustrationLevel(stored.score);
  return { score: stored.score, frustrated: level === "high", level, cues, sentiment: null };
}

/**
 * Scores a whole history as intake would have, message by message in time order: each customer message with the
 * customer's contacts in the `contactWindowDays` before it (a chat ticket once), each ticket's frustration moved by
 * its messages. For imported or generated history (the demo), where messages are not stored one at a time, and for
 * messages stored before the scorer existed (the backfill; messages scored at intake keep their `stored` score).
 * `startTickets`: the frustration tickets already have when the history continues them.
 */
export function replayFrustration(
  history: HistoryMessage[],
  contactWindowDays = 5,
  startTickets: ReadonlyMap<number, TicketFrustration> = new Map(),
): { messages: (FrustrationResult | null)[]; tickets: Map<number, TicketFrustration> } {
  const order = history
    .map((_, i) => i)
    .sort((a, b) => history[a].at.getTime() - history[b].at.getTime() || a - b);
  const windowMs = contactWindowDays * 86_400_000;
  const contactsByCustomer = new Map<number, { at: number; key: string }[]>();
  const results: (FrustrationResult | null)[] = history.map(() => null);
  const tickets = new Map<number, TicketFrustration>(startTickets);
  for (const i of order) {
    const message = history[i];
    const ticket = tickets.get(message.ticketId) ?? { score: null, cues: [] };
    if (message.role === "customer" || message.role === "contact") {
      const at = message.at.getTime();
      const contacts = (contactsByCustomer.get(message.customerId) ?? []).filter(
        (c) => c.at >= at - windowMs,
      );
      const key = message.channel === "chat" ? `chat:${message.ticketId}` : `message:${i}`;
      if (!contacts.some((c) => c.key === key)) contacts.push({ at, key });
      contactsByCustomer.set(message.customerId, contacts);
      if (message.role === "contact") continue;
      const result = message.stored
        ? storedFrustration(message.stored)
        : scoreFrustration({ text: message.text, recentContacts: contacts.length, contactWindowDays });
      results[i] = result;
      tickets.set(message.ticketId, frustrationAfterCustomerMessage(ticket, result));
    } else if (message.role === "agent") {
      tickets.set(message.ticketId, frustrationAfterAgentReply(ticket));
    }
  }
  return { messages: results, tickets };
}
