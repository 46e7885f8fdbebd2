export * from "./docsPage.ts";
export * from "./documents.ts";
export * from "./openApiRoutes.ts";
export * from "./routeCoverage.ts";
