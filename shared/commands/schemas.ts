import { z } from "zod";
import { productStatuses } from "../domain/catalog.ts";

/** Bounds that keep every stored value small, sortable and safe as a JS number. */
export const limits = {
  maxAmount: 1_000_000_000_000,
  maxStock: 1_000_000_000,
  maxBatch: 1_000,
  maxAttributes: 50,
} as const;

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");
const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "an id as returned by a write");
/**
 * Text a client may send. A lone UTF-16 surrogate (JSON "\\ud800") has no
 * UTF-8 form, so SQLite would store U+FFFD in its place; and libSQL hands TEXT
 * back cut at a NUL. Either way the read would not return what was written:
 * refuse them rather than lose data.
 */
const wellFormedText = z
  .string()
  .refine((s) => !/\p{Cs}/u.test(s), {
    message: "must not contain lone UTF-16 surrogates (unpaired \\ud800-\\udfff)",
  })
  .refine((s) => !s.includes("\u0000"), { message: "must not contain NUL characters" });
const nameSchema = wellFormedText.trim().min(1).max(200);
const descriptionSchema = wellFormedText.max(5_000);
const versionSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const moneySchema = z.strictObject({
  amount: z.number().int().min(0).max(limits.maxAmount),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
});

export const attributesSchema = z
  .record(
    wellFormedText.min(1).max(64),
    z.union([wellFormedText.max(500), z.number().finite(), z.boolean()]),
  )
  .refine((a) => Object.keys(a).length <= limits.maxAttributes, {
    message: `at most ${limits.maxAttributes} attributes`,
  });

export const commandSchemas = {
  "category.create": z.strictObject({
    type: z.literal("category.create"),
    slug: slugSchema,
    name: nameSchema,
    parentSlug: slugSchema.optional(),
  }),
  "category.rename": z.strictObject({
    type: z.literal("category.rename"),
    id: idSchema,
    name: nameSchema,
    expectedVersion: versionSchema.optional(),
  }),
  "product.create": z.strictObject({
    type: z.literal("product.create"),
    sku: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "1-64 letters, digits, dot, dash, underscore"),
    slug: slugSchema,
    name: nameSchema,
    description: descriptionSchema,
    categorySlug: slugSchema,
    price: moneySchema,
    stock: z.number().int().min(0).max(limits.maxStock),
    status: z.enum(["draft", "active"]).optional(),
    attributes: attributesSchema.optional(),
  }),
  "product.update": z
    .strictObject({
      type: z.literal("product.update"),
      id: idSchema,
      name: nameSchema.optional(),
      description: descriptionSchema.optional(),
      categorySlug: slugSchema.optional(),
      attributes: attributesSchema.optional(),
      expectedVersion: versionSchema.optional(),
    })
    .refine(
      (c) =>
        c.name !== undefined ||
        c.description !== undefined ||
        c.categorySlug !== undefined ||
        c.attributes !== undefined,
      { message: "nothing to update: give name, description, categorySlug or attributes" },
    ),
  "product.changePrice": z.strictObject({
    type: z.literal("product.changePrice"),
    id: idSchema,
    price: moneySchema,
    expectedVersion: versionSchema.optional(),
  }),
  "product.adjustStock": z.strictObject({
    type: z.literal("product.adjustStock"),
    id: idSchema,
    delta: z
      .number()
      .int()
      .min(-limits.maxStock)
      .max(limits.maxStock)
      .refine((d) => d !== 0, "delta must not be 0"),
    expectedVersion: versionSchema.optional(),
  }),
  "product.publish": z.strictObject({
    type: z.literal("product.publish"),
    id: idSchema,
    expectedVersion: versionSchema.optional(),
  }),
  "product.archive": z.strictObject({
    type: z.literal("product.archive"),
    id: idSchema,
    expectedVersion: versionSchema.optional(),
  }),
  "product.delete": z.strictObject({
    type: z.literal("product.delete"),
    id: idSchema,
    expectedVersion: versionSchema.optional(),
  }),
} as const;

export type CommandType = keyof typeof commandSchemas;
export type CommandOf<T extends CommandType> = z.infer<(typeof commandSchemas)[T]>;
export type Command = { [T in CommandType]: CommandOf<T> }[CommandType];
export const commandTypes = Object.keys(commandSchemas) as CommandType[];

export { productStatuses };
