import { EventLog } from "../../testing/eventLog.ts";
import { ViewSpecification } from "../../testing/viewSpecification.ts";
import type { CategoryRef, ProductPage, ProductSummary } from "../../views/readModels.ts";

// The storefront every view spec starts from, and its views written out by
// hand. The seqs matter: they are the `createdSeq` and `version` the views show.
//
//   seq 1  category home  "Home"
//   seq 2  category lamps "Lamps", under home
//   seq 3  category desks "Desks", under home
//   seq 4  desk-lamp  "Desk Lamp"  in lamps, 25.00 EUR, 8 in stock, color black, active
//   seq 5  floor-lamp "Floor Lamp" in lamps, 99.00 EUR, 2 in stock, color white, active
//   seq 6  oak-desk   "Oak Desk"   in desks, 300.00 EUR, 1 in stock, material oak, active
//   seq 7  wall-lamp  "Wall Lamp"  in lamps, 40.00 EUR, 5 in stock, color black, draft

export const spec = ViewSpecification.for();

export const ids = {
  home: "cat_home",
  lamps: "cat_lamps",
  desks: "cat_desks",
  deskLamp: "prd_desk-lamp",
  floorLamp: "prd_floor-lamp",
  oakDesk: "prd_oak-desk",
  wallLamp: "prd_wall-lamp",
} as const;

/** A fresh log of the catalog above; append the events under test to it. */
export function catalog(): EventLog {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  const desks = log.category("desks", "Desks", home);
  const eur = (amount: number) => ({ amount, currency: "EUR" });
  log.product({
    slug: "desk-lamp",
    name: "Desk Lamp",
    description: "Brass arm",
    categoryId: lamps,
    price: eur(2500),
    stock: 8,
    attributes: { color: "black" },
  });
  log.product({
    slug: "floor-lamp",
    name: "Floor Lamp",
    description: "Tall",
    categoryId: lamps,
    price: eur(9900),
    stock: 2,
    attributes: { color: "white" },
  });
  log.product({
    slug: "oak-desk",
    name: "Oak Desk",
    description: "Solid oak",
    categoryId: desks,
    price: eur(30000),
    stock: 1,
    attributes: { material: "oak" },
  });
  log.product({
    slug: "wall-lamp",
    name: "Wall Lamp",
    description: "Brass",
    categoryId: lamps,
    price: eur(4000),
    stock: 5,
    attributes: { color: "black" },
    status: "draft",
  });
  return log;
}

export const home: CategoryRef = { id: "cat_home", slug: "home", name: "Home" };
export const lamps: CategoryRef = { id: "cat_lamps", slug: "lamps", name: "Lamps" };
export const desks: CategoryRef = { id: "cat_desks", slug: "desks", name: "Desks" };

export const deskLampPage: ProductPage = {
  id: "prd_desk-lamp",
  sku: "SKU-desk-lamp",
  slug: "desk-lamp",
  name: "Desk Lamp",
  description: "Brass arm",
  price: { amount: 2500, currency: "EUR" },
  status: "active",
  attributes: { color: "black" },
  stock: 8,
  stockStatus: "in_stock",
  category: { ...lamps, path: [home, lamps] },
  createdSeq: 4,
  version: 4,
};

export const floorLampPage: ProductPage = {
  id: "prd_floor-lamp",
  sku: "SKU-floor-lamp",
  slug: "floor-lamp",
  name: "Floor Lamp",
  description: "Tall",
  price: { amount: 9900, currency: "EUR" },
  status: "active",
  attributes: { color: "white" },
  stock: 2,
  stockStatus: "low_stock",
  category: { ...lamps, path: [home, lamps] },
  createdSeq: 5,
  version: 5,
};

export const oakDeskPage: ProductPage = {
  id: "prd_oak-desk",
  sku: "SKU-oak-desk",
  slug: "oak-desk",
  name: "Oak Desk",
  description: "Solid oak",
  price: { amount: 30000, currency: "EUR" },
  status: "active",
  attributes: { material: "oak" },
  stock: 1,
  stockStatus: "low_stock",
  category: { ...desks, path: [home, desks] },
  createdSeq: 6,
  version: 6,
};

/** The wall lamp as its page will show once published (as a draft it has none). */
export const wallLampPage: ProductPage = {
  id: "prd_wall-lamp",
  sku: "SKU-wall-lamp",
  slug: "wall-lamp",
  name: "Wall Lamp",
  description: "Brass",
  price: { amount: 4000, currency: "EUR" },
  status: "active",
  attributes: { color: "black" },
  stock: 5,
  stockStatus: "low_stock",
  category: { ...lamps, path: [home, lamps] },
  createdSeq: 7,
  version: 7,
};

export const deskLamp: ProductSummary = {
  id: "prd_desk-lamp",
  slug: "desk-lamp",
  name: "Desk Lamp",
  price: { amount: 2500, currency: "EUR" },
  stockStatus: "in_stock",
  createdSeq: 4,
  version: 4,
};

export const floorLamp: ProductSummary = {
  id: "prd_floor-lamp",
  slug: "floor-lamp",
  name: "Floor Lamp",
  price: { amount: 9900, currency: "EUR" },
  stockStatus: "low_stock",
  createdSeq: 5,
  version: 5,
};

export const oakDesk: ProductSummary = {
  id: "prd_oak-desk",
  slug: "oak-desk",
  name: "Oak Desk",
  price: { amount: 30000, currency: "EUR" },
  stockStatus: "low_stock",
  createdSeq: 6,
  version: 6,
};

/** The wall lamp as listings will show it once published. */
export const wallLamp: ProductSummary = {
  id: "prd_wall-lamp",
  slug: "wall-lamp",
  name: "Wall Lamp",
  price: { amount: 4000, currency: "EUR" },
  stockStatus: "low_stock",
  createdSeq: 7,
  version: 7,
};

/** A listing or search page that holds everything: no next page. */
export const page = <T>(...items: T[]) => ({ items, nextCursor: null });
