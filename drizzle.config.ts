import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./write-api/db/schema.ts",
  out: "./migrations",
});
