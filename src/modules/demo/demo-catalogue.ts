// The fixed vocabulary of the demo business, "Tidewater Coffee Roasters": people's names, the product
// catalogue, wholesale organisations and the ticket templates. Plain data; the generator picks from it.

export const businessName = "Tidewater Coffee Roasters";
export const businessTimezone = "America/Los_Angeles";
/** Pacific standard time; the generator ignores daylight saving when it places agent working hours. */
export const businessUtcOffsetHours = -8;

export const firstNames = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Elijah",
  "Sophia",
  "James",
  "Isabella",
  "Lucas",
  "Mia",
  "Mason",
  "Amelia",
  "Ethan",
  "Harper",
  "Logan",
  "Evelyn",
  "Aiden",
  "Abigail",
  "Jackson",
  "Emily",
  "Sebastian",
  "Ella",
  "Mateo",
  "Grace",
  "Daniel",
  "Chloe",
  "Henry",
  "Nora",
  "Owen",
  "Lily",
  "Samuel",
  "Hannah",
  "Caleb",
  "Zoe",
  "Priya",
  "Arjun",
  "Ananya",
  "Rohan",
  "Mei",
  "Wei",
  "Hiroshi",
  "Yuki",
  "Min-jun",
  "Ji-woo",
  "Fatima",
  "Omar",
  "Aisha",
  "Yusuf",
  "Leila",
  "Kwame",
  "Amara",
  "Chidi",
  "Ngozi",
  "Tomás",
  "Sofía",
  "José",
  "Lucía",
  "Andrés",
  "Camila",
  "Joaquín",
  "Inés",
  "Zoë",
  "Chloé",
  "François",
  "Amélie",
  "Björn",
  "Søren",
  "Åsa",
  "Jürgen",
  "Małgorzata",
  "Łukasz",
  "Dvořák",
  "Ágnes",
  "Renée",
  "Noémie",
  "Siân",
  "Eoin",
  "Saoirse",
  "Niamh",
  "Dmitri",
  "Anastasia",
  "Oksana",
  "Mikael",
  "Freya",
  "Astrid",
  "Kai",
  "Leilani",
  "Mateus",
  "João",
  "Thiago",
  "Beatriz",
  "Raúl",
  "Nuño",
] as const;

export const lastNames = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Patel",
  "Shah",
  "Kim",
  "Park",
  "Chen",
  "Wang",
  "Tanaka",
  "Sato",
  "Okafor",
  "Mensah",
  "Haddad",
  "Khan",
  "O'Brien",
  "MacLeod",
  "Müller",
  "Schröder",
  "Jørgensen",
  "Öberg",
  "Nowak",
  "Kowalczyk",
  "Dubois",
  "Lefèvre",
  "Peña",
  "Muñoz",
  "Gómez",
  "Núñez",
  "Ivanova",
  "Kovačević",
  "Nguyễn",
  "Trần",
  "Fernández",
  "Søndergaard",
  "Ólafsson",
  "Yılmaz",
  "Çelik",
  "Rossi",
  "Bianchi",
  "Costa",
] as const;

/** Names written in their own script: a few customers sign this way. */
export const nativeScriptNames = [
  "王芳",
  "李娜",
  "张伟",
  "佐藤 花子",
  "鈴木 一郎",
  "김민준",
  "이서연",
  "Αλέξανδρος Παπαδόπουλος",
  "Дмитрий Смирнов",
  "Анна Кузнецова",
  "אורי כהן",
  "محمد العلي",
  "Nguyễn Thị Mai",
] as const;

/** Mail domains under the reserved .example TLD and example.com/net/org (RFC 2606), so a reply sent from the
 * demo never reaches a real mailbox. */
export const consumerMailDomains = [
  ["example.com", 30],
  ["example.net", 18],
  ["example.org", 10],
  ["mail.example", 14],
  ["inbox.example", 12],
  ["post.example", 8],
  ["fastmail.example", 4],
  ["proton.example", 4],
] as const;

/** US 555-01xx numbers are reserved for fiction; combined with several area codes they stay unique. */
export const phoneAreaCodes = [
  "503",
  "971",
  "206",
  "360",
  "415",
  "510",
  "212",
  "312",
  "617",
  "512",
  "303",
] as const;

export type Product = {
  sku: string;
  name: string;
  priceMinor: number;
  kind: "beans" | "subscription" | "gear" | "gift";
};

export const products: readonly Product[] = [
  { sku: "BN-ETH-YIR-12", name: "Ethiopia Yirgacheffe, 12 oz", priceMinor: 1950, kind: "beans" },
  { sku: "BN-KEN-NYE-12", name: "Kenya Nyeri AA, 12 oz", priceMinor: 2150, kind: "beans" },
  { sku: "BN-COL-HUI-12", name: "Colombia Huila, 12 oz", priceMinor: 1750, kind: "beans" },
  { sku: "BN-GUA-ANT-12", name: "Guatemala Antigua, 12 oz", priceMinor: 1800, kind: "beans" },
  { sku: "BN-SUM-MAN-12", name: "Sumatra Mandheling, 12 oz", priceMinor: 1700, kind: "beans" },
  { sku: "BN-TDW-HOU-12", name: "Tidewater House Blend, 12 oz", priceMinor: 1550, kind: "beans" },
  { sku: "BN-TDW-ESP-12", name: "Harbor Espresso Blend, 12 oz", priceMinor: 1650, kind: "beans" },
  { sku: "BN-TDW-DEC-12", name: "Swiss Water Decaf, 12 oz", priceMinor: 1700, kind: "beans" },
  { sku: "BN-TDW-HOU-5L", name: "Tidewater House Blend, 5 lb", priceMinor: 8200, kind: "beans" },
  { sku: "BN-TDW-ESP-5L", name: "Harbor Espresso Blend, 5 lb", priceMinor: 8600, kind: "beans" },
  { sku: "SUB-RC-2", name: "Roaster's Choice subscription, 2 bags", priceMinor: 3400, kind: "subscription" },
  { sku: "SUB-ESP-1", name: "Espresso subscription, 1 bag", priceMinor: 1600, kind: "subscription" },
  { sku: "GR-V60-02", name: "Hario V60 dripper, size 02", priceMinor: 2900, kind: "gear" },
  { sku: "GR-FLT-100", name: "V60 paper filters, 100 pack", priceMinor: 800, kind: "gear" },
  { sku: "GR-KET-GN", name: "Gooseneck kettle, 1 l", priceMinor: 6900, kind: "gear" },
  { sku: "GR-GRD-BUR", name: "Conical burr grinder", priceMinor: 14900, kind: "gear" },
  { sku: "GR-SCL-01", name: "Brewing scale with timer", priceMinor: 4500, kind: "gear" },
  { sku: "GR-AER-01", name: "AeroPress coffee maker", priceMinor: 3995, kind: "gear" },
  { sku: "GR-FRP-08", name: "French press, 8 cup", priceMinor: 3500, kind: "gear" },
  { sku: "GR-MUG-TDW", name: "Tidewater stoneware mug", priceMinor: 1800, kind: "gear" },
  { sku: "GF-CARD-50", name: "Gift card, $50", priceMinor: 5000, kind: "gift" },
  { sku: "GF-BOX-TAST", name: "Tasting flight gift box", priceMinor: 4200, kind: "gift" },
];

export const shippingMinor = 695;
export const freeShippingFromMinor = 4000;

export const organisationNames = [
  "Bluebird Café",
  "Northside Coworking",
  "Harbor Light Bakery",
  "Cedar & Sage Bistro",
  "Riverbend Dental Group",
  "Foghorn Books",
  "Pacific Rowing Club",
  "The Copper Kettle",
  "Juniper Yoga Studio",
  "Salt Marsh Oyster Bar",
  "Lantern Design Co.",
  "Summit Law Partners",
  "Greenleaf Grocers",
  "Old Mill Inn",
  "Brightwater Clinic",
  "Atlas Architecture",
  "Morning Tide Diner",
  "Hollow Oak Brewing",
  "Seastack Surf Shop",
  "Canvas & Clay Studio",
  "Westgate Realty",
  "Kestrel Software",
  "Pine Street Deli",
  "Driftwood Hostel",
  "Orchard Hill Farm Stand",
  "Lighthouse Church",
  "Beacon Climbing Gym",
  "Marigold Florist",
  "Tidepool Kids Museum",
  "Ironwood Fitness",
  "Café Ümlaut",
  "Boulangerie Étoile",
  "Quay Street Bikes",
  "Red Fern Veterinary",
  "Granite Peak Outfitters",
  "Sunday Supper Club",
  "Maple & Main Barbers",
  "Otter Creek Lodge",
  "Fernwood Library Friends",
  "Harborview Hotel",
  "Nightjar Records",
  "Wildflower Co-op",
] as const;

export type TicketTopicKey =
  | "late_delivery"
  | "damaged_item"
  | "wrong_grind"
  | "refund_request"
  | "double_charge"
  | "subscription_change"
  | "how_to_brew"
  | "account_login"
  | "wholesale_enquiry"
  | "praise";

export type TicketTopic = {
  key: TicketTopicKey;
  tag: string;
  /** Relative frequency among tickets of its kind (after an order, or standalone). */
  weight: number;
  /** Raised about a specific order (and so shortly after one). */
  aboutOrder: boolean;
  team: "Support" | "Retention";
  priority: readonly (readonly ["low" | "normal" | "high" | "urgent", number])[];
  subjects: readonly string[];
  openings: readonly string[];
  /** Openings written by someone already annoyed. */
  frustrated: readonly string[];
  replies: readonly string[];
  followUps: readonly string[];
  closings: readonly string[];
};

// Slots: {first} customer first name, {agent} agent first name, {order} order number, {product} a product on
// the order, {days} days since the order, {grind} grind wanted, {wrongGrind} grind received.
export const ticketTopics: readonly TicketTopic[] = [
  {
    key: "late_delivery",
    tag: "shipping",
    weight: 30,
    aboutOrder: true,
    team: "Support",
    priority: [
      ["normal", 80],
      ["high", 20],
    ],
    subjects: [
      "Where is my order {order}?",
      "Order {order} still hasn't arrived",
      "Tracking hasn't updated in {days} days",
      "Late delivery - order {order}",
      "Package stuck in transit?",
    ],
    openings: [
      "Hi there,\n\nI ordered the {product} on {orderDate} (order {order}) and it still hasn't shown up. The tracking page hasn't changed in a few days. Could you check what's going on?\n\nThanks,\n{first}",
      "Hello! My order {order} was supposed to arrive by now. Any idea where it is? I'm almost out of beans.\n\n{first}",
      "Hi, the tracking for {order} says 'label created' and nothing since. It's been {days} days. Can you look into it?",
    ],
    frustrated: [
      "This is the second time an order has been late. Order {order} was placed {days} days ago and there is still no sign of it. I'm paying for fresh coffee, not stale beans sitting in a warehouse. Please sort this out.\n\n{first}",
      "I have emailed about order {order} already and heard nothing. Where is my coffee?? If it doesn't arrive this week I want a refund.",
    ],
    replies: [
      "Hi {first},\n\nThanks for reaching out, and sorry for the wait. I checked with our carrier: order {order} was delayed at their regional hub and is now out for delivery. You should have it within 1-2 business days.\n\nIf it hasn't arrived by then, reply here and I'll send a replacement right away.\n\nBest,\n{agent}\nTidewater Coffee Roasters",
      "Hi {first},\n\nI'm sorry your order is late. The carrier lost the scan history for {order}, so I've shipped a replacement with express shipping at no charge. You'll get a new tracking number shortly.\n\nWarmly,\n{agent}",
      "Hello {first},\n\nApologies for the delay. Our roasting schedule slipped this week after a machine repair; {order} left our roastery yesterday and the tracking should update tonight.\n\nThanks for your patience,\n{agent}",
    ],
    followUps: [
      "Thanks {agent}, it arrived today!",
      "Still nothing here, unfortunately. Tracking hasn't moved.",
      "Got it, thank you for the quick help.",
      "OK, thanks. Fingers crossed.",
    ],
    closings: [
      "Glad to hear it arrived, {first}. Enjoy the coffee!\n\n{agent}",
      "I've sent a replacement by express and added a credit for the shipping. Sorry again for the trouble.\n\n{agent}",
    ],
  },
  {
    key: "damaged_item",
    tag: "damaged",
    weight: 14,
    aboutOrder: true,
    team: "Support",
    priority: [
      ["normal", 55],
      ["high", 45],
    ],
    subjects: [
      "Damaged item in order {order}",
      "Bag arrived split open",
      "My {product} arrived broken",
      "Broken item - photos attached",
    ],
    openings: [
      "Hi,\n\nMy order {order} arrived today but the {product} was damaged - the box was crushed. Can you send a replacement?\n\nThank you,\n{first}",
      "Hello, one of the bags in {order} split open in the box and beans went everywhere. Is there anything you can do?",
    ],
    frustrated: [
      "The {product} I ordered ({order}) arrived in pieces. It was a gift and now I have nothing to give. Very disappointed with the packaging.",
      "Second damaged delivery in a row. The {product} from order {order} is broken. I expect a replacement AND better packaging.",
    ],
    replies: [
      "Hi {first},\n\nI'm so sorry - that's not how it should arrive. I've sent a replacement {product} today and you don't need to return the damaged one.\n\n{agent}",
      "Hi {first},\n\nThank you for letting us know, and apologies. Could you send a quick photo of the damage and the box? Our carrier needs it for the claim; once I have it I'll ship the replacement straight away.\n\n{agent}",
    ],
    followUps: [
      "Photo attached. The corner of the box was completely crushed.",
      "Thank you, that's very kind.",
      "Replacement arrived in perfect shape. Thanks!",
    ],
    closings: [
      "Thanks for the photo, {first}. The replacement is on its way and I've refunded the shipping.\n\n{agent}",
      "Wonderful, glad it worked out. Happy brewing!\n\n{agent}",
    ],
  },
  {
    key: "wrong_grind",
    tag: "grind",
    weight: 12,
    aboutOrder: true,
    team: "Support",
    priority: [
      ["normal", 90],
      ["low", 10],
    ],
    subjects: ["Wrong grind on order {order}", "I asked for {grind}, got {wrongGrind}", "Grind size mix-up"],
    openings: [
      "Hi,\n\nI ordered {product} ground for {grind} but it came {wrongGrind}. Can I exchange it?\n\n{first}",
      "Hello, small problem with {order}: the beans are ground {wrongGrind} and I asked for {grind}. My grinder broke so I really need it pre-ground.",
    ],
    frustrated: [
      "I specifically selected {grind}. The {product} from {order} is {wrongGrind} and useless for my machine. This keeps happening.",
    ],
    replies: [
      "Hi {first},\n\nSorry about the mix-up! I've sent a fresh bag of {product} ground for {grind}. Keep the other one - it makes great cold brew.\n\n{agent}",
      "Hi {first},\n\nApologies - our grinder station label was wrong that morning. A replacement ground for {grind} ships tomorrow.\n\n{agent}",
    ],
    followUps: ["Thank you! Much appreciated.", "Great, thanks for sorting it."],
    closings: ["Enjoy, {first}!\n\n{agent}"],
  },
  {
    key: "refund_request",
    tag: "refund",
    weight: 9,
    aboutOrder: true,
    team: "Retention",
    priority: [
      ["normal", 70],
      ["high", 30],
    ],
    subjects: ["Refund request for {order}", "Return and refund", "I'd like my money back for {product}"],
    openings: [
      "Hi,\n\nI'd like to return the {product} from order {order}; it's not what I expected. How do I get a refund?\n\n{first}",
      "Hello, can I get a refund for {order}? I ordered by mistake.",
    ],
    frustrated: [
      "The {product} is not as described. I want a full refund for {order}, not store credit.",
      "I've been waiting for my refund on {order} for {days} days. What is going on?",
    ],
    replies: [
      "Hi {first},\n\nNo problem. I've issued a full refund for {order}; it should appear on your statement within 5-10 business days. No need to send anything back.\n\n{agent}",
      "Hi {first},\n\nSorry it wasn't a fit. I've started the refund for {order}. If you'd like, I can also suggest a coffee closer to what you enjoy - just tell me what you usually drink.\n\n{agent}",
    ],
    followUps: [
      "Thanks, I see the refund pending.",
      "OK. I'd prefer something less acidic, any suggestions?",
    ],
    closings: [
      "Try our Sumatra Mandheling or the House Blend - both are low in acidity with chocolate notes.\n\n{agent}",
      "You're welcome, {first}. Hope to see you again.\n\n{agent}",
    ],
  },
  {
    key: "double_charge",
    tag: "billing",
    weight: 7,
    aboutOrder: true,
    team: "Support",
    priority: [
      ["high", 70],
      ["urgent", 10],
      ["normal", 20],
    ],
    subjects: ["Charged twice for {order}", "Double charge on my card", "Billing error"],
    openings: [
      "Hi,\n\nI see two charges on my card for order {order}. Can you check and refund the duplicate?\n\nThanks,\n{first}",
      "Hello, my bank shows a second charge from Tidewater Coffee this week but I only placed one order ({order}).",
    ],
    frustrated: [
      "You charged me TWICE for {order}. Please refund the extra charge immediately.",
      "This is unacceptable - a double charge for {order} and my card is now over its limit.",
    ],
    replies: [
      "Hi {first},\n\nYou're right - our payment provider retried the charge for {order}. I've refunded the duplicate; your bank should release it within 3-5 business days. Sorry for the worry.\n\n{agent}",
      "Hi {first},\n\nI checked: the second line is a pre-authorisation hold that drops off automatically within a few days; you were only charged once. Let me know if it's still there next week.\n\n{agent}",
    ],
    followUps: [
      "Thank you, I see the refund.",
      "It's still showing as two charges.",
      "OK, thanks for explaining.",
    ],
    closings: ["Glad it's sorted, {first}.\n\n{agent}"],
  },
  {
    key: "subscription_change",
    tag: "subscription",
    weight: 14,
    aboutOrder: false,
    team: "Retention",
    priority: [
      ["normal", 85],
      ["low", 15],
    ],
    subjects: [
      "Pause my subscription",
      "Cancel subscription",
      "Change subscription frequency",
      "Switch my subscription to decaf",
      "Skip next month's delivery",
    ],
    openings: [
      "Hi,\n\nI'm travelling next month - can I pause my subscription for a few weeks?\n\n{first}",
      "Hello, please switch my subscription to every 3 weeks instead of every 2. Thanks!",
      "Hi there, I'd like to cancel my subscription. We've got a new espresso machine at work so we're drinking less at home.",
      "Can I change my subscription beans to the Swiss Water Decaf?",
    ],
    frustrated: [
      "I tried to cancel my subscription online and it still charged me. Please cancel it now and refund the last charge.",
    ],
    replies: [
      "Hi {first},\n\nDone - your subscription is paused and will restart automatically in 4 weeks. You can change that any time from your account page.\n\n{agent}",
      "Hi {first},\n\nI've updated your subscription as requested. Your next delivery date is shown on your account page.\n\n{agent}",
      "Hi {first},\n\nSorry to see you go! I've cancelled your subscription. If it's about the volume, we can also send a single bag every month - just say the word.\n\n{agent}",
    ],
    followUps: ["Perfect, thank you!", "Actually, the smaller option sounds good. Let's do that.", "Thanks."],
    closings: ["All set, {first}. Enjoy!\n\n{agent}"],
  },
  {
    key: "how_to_brew",
    tag: "brewing",
    weight: 12,
    aboutOrder: false,
    team: "Support",
    priority: [
      ["low", 70],
      ["normal", 30],
    ],
    subjects: [
      "Best grind for AeroPress?",
      "My pour-over tastes sour",
      "Recipe for cold brew",
      "How long do beans stay fresh?",
      "Espresso running too fast",
    ],
    openings: [
      "Hi! I just got the {product}. What grind size and ratio do you recommend for it?\n\n{first}",
      "My V60 pour-over tastes sour and thin. What am I doing wrong?",
      "How should I store the beans, and how long do they stay fresh after opening?",
      "Any tips for cold brew with your House Blend?",
    ],
    frustrated: [],
    replies: [
      "Hi {first},\n\nGreat question! Start with 15 g of coffee to 250 g of water, a medium-fine grind and water just off the boil (about 94 °C). If it tastes sour, grind a little finer; if bitter, coarser.\n\nHappy brewing,\n{agent}",
      "Hi {first},\n\nKeep the beans in the bag they came in (it has a one-way valve), sealed, away from light and heat. They're at their best from day 5 to about day 30 after roasting.\n\n{agent}",
      "Hi {first},\n\nFor cold brew use a coarse grind and a 1:8 ratio, steep 16-18 hours in the fridge, then filter. Dilute 1:1 with water or milk.\n\n{agent}",
    ],
    followUps: ["That worked, thank you!", "Thanks, I'll try a finer grind."],
    closings: ["Enjoy, {first}!\n\n{agent}"],
  },
  {
    key: "account_login",
    tag: "account",
    weight: 7,
    aboutOrder: false,
    team: "Support",
    priority: [
      ["normal", 80],
      ["high", 20],
    ],
    subjects: [
      "Can't log in to my account",
      "Password reset email not arriving",
      "Change the email on my account",
    ],
    openings: [
      "Hi, I can't log in - the password reset email never arrives. Can you help?\n\n{first}",
      "Hello, I'd like to change the email address on my account.",
    ],
    frustrated: ["I've requested a password reset four times now. Nothing. I can't manage my subscription."],
    replies: [
      "Hi {first},\n\nThe reset emails were landing in a spam folder for some providers. I've sent a fresh link manually - it's valid for 24 hours.\n\n{agent}",
      "Hi {first},\n\nI've updated the email on your account. You'll receive a confirmation at the new address.\n\n{agent}",
    ],
    followUps: ["Got it, I'm in. Thanks!", "Still not working, sorry."],
    closings: ["Great, glad you're back in.\n\n{agent}"],
  },
  {
    key: "wholesale_enquiry",
    tag: "wholesale",
    weight: 4,
    aboutOrder: false,
    team: "Retention",
    priority: [
      ["normal", 70],
      ["high", 30],
    ],
    subjects: ["Wholesale pricing", "Coffee for our office", "Supplying our café"],
    openings: [
      "Hello,\n\nWe run a small café and are looking for a new roaster. Do you offer wholesale pricing for around 20 lb a week?\n\n{first}",
      "Hi, our office of 40 people wants to switch to your coffee. What are your bulk prices?",
    ],
    frustrated: [],
    replies: [
      "Hi {first},\n\nThanks for thinking of us! Our wholesale pricing starts at 10 lb per week; I've attached our price list. Happy to send samples of the House and Harbor Espresso blends.\n\n{agent}",
    ],
    followUps: ["Samples would be great, thanks.", "We'll review and get back to you."],
    closings: ["Samples are on their way. Looking forward to working together!\n\n{agent}"],
  },
  {
    key: "praise",
    tag: "praise",
    weight: 6,
    aboutOrder: true,
    team: "Support",
    priority: [["low", 100]],
    subjects: ["Just wanted to say thanks", "Best coffee I've had", "Loving the {product}"],
    openings: [
      "Hi team, just wanted to say the {product} is fantastic. Best coffee I've had in years!\n\n{first}",
      "Thank you for the handwritten note in my order. Small things like that make a difference.",
    ],
    frustrated: [],
    replies: [
      "Hi {first},\n\nThat made our day - I've passed it on to the roasting team. Thank you!\n\n{agent}",
    ],
    followUps: [],
    closings: [],
  },
];

export const grinds = [
  "whole bean",
  "espresso",
  "AeroPress",
  "pour-over",
  "French press",
  "cold brew",
] as const;

export const agentProfiles = [
  { name: "Dana Whitfield", local: "demo", role: "admin", team: ["Support"], capacity: 8, status: "online" },
  {
    name: "Marcus Oyelaran",
    local: "marcus",
    role: "lead",
    team: ["Retention", "Support"],
    capacity: 10,
    status: "online",
  },
  {
    name: "Sofía Castellanos",
    local: "sofia",
    role: "agent",
    team: ["Support"],
    capacity: 14,
    status: "online",
  },
  { name: "Ben Kowalski", local: "ben", role: "agent", team: ["Support"], capacity: 12, status: "away" },
  { name: "Aiko Tanabe", local: "aiko", role: "agent", team: ["Retention"], capacity: 12, status: "online" },
  {
    name: "Jonah Reyes",
    local: "jonah",
    role: "agent",
    team: ["Support", "Retention"],
    capacity: 10,
    status: "offline",
  },
] as const;

export const teamNames = ["Support", "Retention"] as const;
