import { Banner } from "@shopify/polaris";

/** The admin's alert that calls to an integration are paused (decision 025); nothing when none is. */
export function IntegrationsPausedBanner({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <Banner
      tone="critical"
      title="Calls to an integration are paused"
      action={{ content: "Open Integrations", url: "/app/settings/integrations" }}
    >
      <p>{text}</p>
    </Banner>
  );
}
