import type { StoredEvent } from "../../shared/events/types.ts";
import type { Tx } from "../db/writeTransactions.ts";

// Each statement's text is fixed, so the writer's connection prepares it once.
const insertCategory =
  "INSERT INTO categories (id, slug, name, parent_id, version) VALUES (?, ?, ?, ?, ?)";
const renameCategory = "UPDATE categories SET name = ?, version = ? WHERE id = ?";
const insertProduct = `INSERT INTO products (id, sku, slug, name, description, category_id, price_amount,
  price_currency, status, attributes, stock, created_seq, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
// An update carries only the fields it changes: the others bind null and keep their value.
const updateProduct = `UPDATE products SET name = coalesce(?, name), description = coalesce(?, description),
  category_id = coalesce(?, category_id), attributes = coalesce(?, attributes), version = ? WHERE id = ?`;
const changePrice =
  "UPDATE products SET price_amount = ?, price_currency = ?, version = ? WHERE id = ?";
const setStock = "UPDATE products SET stock = ?, version = ? WHERE id = ?";
const setStatus = "UPDATE products SET status = ?, version = ? WHERE id = ?";
const deleteProduct = "DELETE FROM products WHERE id = ?";

/** Folds one stored event into the normalized tables; `version` becomes its seq. */
export async function applyToTables(tx: Tx, event: StoredEvent): Promise<void> {
  const version = event.seq;
  switch (event.type) {
    case "category.created": {
      const { id, slug, name, parentId } = event.data;
      return tx.run(insertCategory, [id, slug, name, parentId, version]);
    }
    case "category.renamed":
      return tx.run(renameCategory, [event.data.name, version, event.data.id]);
    case "product.created": {
      const p = event.data;
      return tx.run(insertProduct, [
        p.id,
        p.sku,
        p.slug,
        p.name,
        p.description,
        p.categoryId,
        p.price.amount,
        p.price.currency,
        p.status,
        JSON.stringify(p.attributes),
        p.stock,
        event.seq,
        version,
      ]);
    }
    case "product.updated": {
      const { id, name, description, categoryId, attributes } = event.data;
      return tx.run(updateProduct, [
        name ?? null,
        description ?? null,
        categoryId ?? null,
        attributes === undefined ? null : JSON.stringify(attributes),
        version,
        id,
      ]);
    }
    case "product.priceChanged": {
      const { id, price } = event.data;
      return tx.run(changePrice, [price.amount, price.currency, version, id]);
    }
    case "product.stockAdjusted":
      return tx.run(setStock, [event.data.stock, version, event.data.id]);
    case "product.published":
    case "product.archived":
      return tx.run(setStatus, [
        event.type === "product.published" ? "active" : "archived",
        version,
        event.data.id,
      ]);
    case "product.deleted":
      return tx.run(deleteProduct, [event.data.id]);
  }
}
