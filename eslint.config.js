import js from "@eslint/js";
import globals from "globals";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      ".cache/",
      "app/generated/",
      ".shopdesk/",
      "node_modules/",
      "test-results/",
      "reports/",
      ".stryker-tmp/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18" } },
    rules: {
      ...react.configs.recommended.rules,
      ...reactHooks.configs.recommended.rules,
      "react/react-in-jsx-scope": "off",
      "react/prop-types": "off",
    },
  },
  {
    // Production code runs unchanged against real Shopify: it may not reach into dev/ or tests/.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/dev/**", "**/tests/**", "**/store-emulator/**"],
              message: "app/ must not import dev/ or tests/ code.",
            },
          ],
        },
      ],
    },
  },
  {
    // domain/ is pure: no Remix, Prisma, Shopify or side-effect modules.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "~/models/*",
                "~/services/*",
                "~/jobs/*",
                "~/db.server",
                "~/shopify.server",
                "@remix-run/*",
                "@prisma/*",
                "@shopify/*",
                "**/generated/**",
              ],
              message: "app/domain is pure TypeScript.",
            },
          ],
        },
      ],
    },
  },
);
