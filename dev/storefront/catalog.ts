// A few products so the demo page looks like a store; illustrations are inline SVG (no network).
export interface DemoProduct {
  handle: string;
  title: string;
  price: number; // cents
  compareAtPrice?: number;
  badge?: string;
  color: string;
  art: string;
  description: string;
}

export interface DemoCollection {
  handle: string;
  title: string;
  description: string;
  products: string[];
}

const mug = `<path d="M30 34h44v38a14 14 0 0 1-14 14H44a14 14 0 0 1-14-14z" fill="currentColor"/><path d="M74 42h6a10 10 0 0 1 0 20h-6" fill="none" stroke="currentColor" stroke-width="6"/>`;
const tee = `<path d="M38 22l-20 12 8 16 8-4v40h36V46l8 4 8-16-20-12c-2 6-8 10-14 10s-12-4-14-10z" fill="currentColor"/>`;
const cap = `<path d="M22 66a28 28 0 0 1 56 0z" fill="currentColor"/><path d="M70 66h20a4 4 0 0 1 0 8H66z" fill="currentColor"/><circle cx="50" cy="36" r="4" fill="currentColor"/>`;
const tote = `<path d="M26 40h48l-4 48H30z" fill="currentColor"/><path d="M38 40v-8a12 12 0 0 1 24 0v8" fill="none" stroke="currentColor" stroke-width="5"/>`;

export const demoProducts: DemoProduct[] = [
  {
    handle: "morning-mug",
    title: "Morning Mug",
    price: 1800,
    color: "#c75b39",
    art: mug,
    badge: "Bestseller",
    description: "Stoneware thrown in small batches, glazed inside and out. Holds 350 ml; dishwasher safe.",
  },
  {
    handle: "everyday-tee",
    title: "Everyday Tee",
    price: 2900,
    compareAtPrice: 3500,
    color: "#2f6f62",
    art: tee,
    description: "Heavyweight organic cotton with a relaxed fit that keeps its shape wash after wash.",
  },
  {
    handle: "harbor-cap",
    title: "Harbor Cap",
    price: 2400,
    color: "#2d4a8a",
    art: cap,
    description: "Six-panel cotton twill cap with a brass buckle; one size fits most.",
  },
  {
    handle: "market-tote",
    title: "Market Tote",
    price: 3200,
    color: "#a3762b",
    art: tote,
    badge: "New",
    description: "Waxed canvas tote with leather handles, roomy enough for a week of groceries.",
  },
];

export const demoCollections: DemoCollection[] = [
  {
    handle: "all",
    title: "All products",
    description: "Everything we make, from the first mug to the newest tote.",
    products: demoProducts.map((product) => product.handle),
  },
  {
    handle: "spring",
    title: "Spring collection",
    description: "Light layers and everyday carry for slow mornings.",
    products: ["everyday-tee", "harbor-cap", "market-tote"],
  },
];
