import type { Command, CommandOf } from "../../shared/commands/schemas.ts";
import { type Product, statusTransitions } from "../../shared/domain/catalog.ts";
import { AppError, ConflictError, NotFoundError } from "../../shared/errors/index.ts";
import type { NewEvent } from "../../shared/events/types.ts";
import type { DecisionState } from "./decisionState.ts";

export interface Decision {
  events: NewEvent[];
  /** the id of the aggregate the command created or changed */
  id: string;
}

export interface IdSource {
  category(): string;
  product(): string;
}

const checkVersion = (expected: number | undefined, actual: number, what: string): void => {
  if (expected !== undefined && expected !== actual) {
    throw new AppError("version_conflict", `${what} is at version ${actual}, not ${expected}`, {
      details: { expectedVersion: expected, actualVersion: actual },
    });
  }
};

const existingProduct = (state: DecisionState, id: string): Product => {
  if (!state.product) throw new NotFoundError(`no product with id ${id}`);
  return state.product;
};

const requireCategory = (state: DecisionState, slug: string) => {
  if (!state.category) {
    throw new AppError("unknown_reference", `no category with slug ${slug}`, {
      details: [{ path: "categorySlug", message: "unknown category" }],
    });
  }
  return state.category;
};

type Decider<T extends Command["type"]> = (
  command: CommandOf<T>,
  state: DecisionState,
  ids: IdSource,
) => Decision;

const lifecycle =
  (action: "publish" | "archive"): Decider<"product.publish" | "product.archive"> =>
  (command, state) => {
    const product = existingProduct(state, command.id);
    checkVersion(command.expectedVersion, product.version, `product ${product.id}`);
    if (!statusTransitions[action].includes(product.status)) {
      throw new AppError(
        "illegal_transition",
        `cannot ${action} a product that is ${product.status}`,
        {
          details: { status: product.status },
        },
      );
    }
    const type = action === "publish" ? "product.published" : "product.archived";
    return {
      id: product.id,
      events: [{ type, aggregateId: product.id, data: { id: product.id } }],
    };
  };

const deciders: { [T in Command["type"]]: Decider<T> } = {
  "category.create": (command, state, ids) => {
    if (state.slugTaken)
      throw new ConflictError("duplicate", `category slug ${command.slug} is taken`);
    if (command.parentSlug !== undefined && !state.parent) {
      throw new AppError("unknown_reference", `no category with slug ${command.parentSlug}`, {
        details: [{ path: "parentSlug", message: "unknown category" }],
      });
    }
    const id = ids.category();
    const data = { id, slug: command.slug, name: command.name, parentId: state.parent?.id ?? null };
    return { id, events: [{ type: "category.created", aggregateId: id, data }] };
  },

  "category.rename": (command, state) => {
    if (!state.category) throw new NotFoundError(`no category with id ${command.id}`);
    checkVersion(command.expectedVersion, state.category.version, `category ${command.id}`);
    if (state.category.name === command.name) {
      throw new ConflictError(
        "conflict",
        `category ${command.id} is already named ${command.name}`,
      );
    }
    const data = { id: command.id, name: command.name };
    return {
      id: command.id,
      events: [{ type: "category.renamed", aggregateId: command.id, data }],
    };
  },

  "product.create": (command, state, ids) => {
    if (state.skuTaken) throw new ConflictError("duplicate", `sku ${command.sku} is taken`);
    if (state.slugTaken)
      throw new ConflictError("duplicate", `product slug ${command.slug} is taken`);
    const category = requireCategory(state, command.categorySlug);
    const id = ids.product();
    const data = {
      id,
      sku: command.sku,
      slug: command.slug,
      name: command.name,
      description: command.description,
      categoryId: category.id,
      price: command.price,
      stock: command.stock,
      status: command.status ?? "draft",
      attributes: command.attributes ?? {},
    };
    return { id, events: [{ type: "product.created", aggregateId: id, data }] };
  },

  "product.update": (command, state) => {
    const product = existingProduct(state, command.id);
    checkVersion(command.expectedVersion, product.version, `product ${product.id}`);
    const categoryId =
      command.categorySlug === undefined
        ? undefined
        : requireCategory(state, command.categorySlug).id;
    const data = {
      id: product.id,
      ...(command.name !== undefined && { name: command.name }),
      ...(command.description !== undefined && { description: command.description }),
      ...(categoryId !== undefined && { categoryId }),
      ...(command.attributes !== undefined && { attributes: command.attributes }),
    };
    return { id: product.id, events: [{ type: "product.updated", aggregateId: product.id, data }] };
  },

  "product.changePrice": (command, state) => {
    const product = existingProduct(state, command.id);
    checkVersion(command.expectedVersion, product.version, `product ${product.id}`);
    const data = { id: product.id, price: command.price };
    return {
      id: product.id,
      events: [{ type: "product.priceChanged", aggregateId: product.id, data }],
    };
  },

  "product.adjustStock": (command, state) => {
    const product = existingProduct(state, command.id);
    checkVersion(command.expectedVersion, product.version, `product ${product.id}`);
    const stock = product.stock + command.delta;
    if (stock < 0) {
      throw new AppError("insufficient_stock", `stock of ${product.id} is ${product.stock}`, {
        details: { stock: product.stock, delta: command.delta },
      });
    }
    const data = { id: product.id, previousStock: product.stock, stock };
    return {
      id: product.id,
      events: [{ type: "product.stockAdjusted", aggregateId: product.id, data }],
    };
  },

  "product.publish": lifecycle("publish"),
  "product.archive": lifecycle("archive"),

  "product.delete": (command, state) => {
    const product = existingProduct(state, command.id);
    checkVersion(command.expectedVersion, product.version, `product ${product.id}`);
    return {
      id: product.id,
      events: [{ type: "product.deleted", aggregateId: product.id, data: { id: product.id } }],
    };
  },
};

/**
 * The write model as a pure decider: a command and what the catalog holds →
 * the events that record the change, or a typed error.
 *
 * @example
 * decide({ type: "product.publish", id: "prd_1" }, { product }, ids);
 * // → { id: "prd_1", events: [{ type: "product.published", aggregateId: "prd_1", data: { id: "prd_1" } }] }
 */
export function decide(command: Command, state: DecisionState, ids: IdSource): Decision {
  const decider = deciders[command.type] as Decider<Command["type"]>;
  return decider(command as never, state, ids);
}
