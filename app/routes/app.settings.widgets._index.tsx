import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { requireInstalledShop } from "~/models/shop.server";
import { widgetsForSettings } from "~/services/integrations/widgets.server";
import { authenticate } from "~/shopify.server";

// Settings → Sidebar widgets: the workspace's widgets (made through the REST API, as the anchor's
// integrations do), each opening its template editor.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  return { widgets: await widgetsForSettings(shop.workspaceId, shop.ianaTimezone) };
};

export default function SidebarWidgetsSettings() {
  const { widgets } = useLoaderData<typeof loader>();
  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Sidebar widgets" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          A widget shows what one of your HTTP integrations answered for a customer, beside their tickets or on their
          profile. Open one to change what it shows.
        </Text>
        <Card padding="0">
          {widgets.length === 0 ? (
            <EmptyState heading="No sidebar widgets yet" image="">
              <p>
                Widgets are added with an HTTP integration through the REST API (POST /api/widgets), as tools written
                for other helpdesks do. Create an API key in Settings → API keys to connect one.
              </p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "widget", plural: "widgets" }}
              itemCount={widgets.length}
              selectable={false}
              headings={[{ title: "Integration" }, { title: "Shown on" }, { title: "Status" }, { title: "Updated" }]}
            >
              {widgets.map((widget, index) => (
                <IndexTable.Row id={String(widget.id)} key={widget.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/settings/widgets/${widget.id}`} dataPrimaryLink>
                      {widget.name}
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{widget.place}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {widget.active ? <Badge tone="success">Active</Badge> : <Badge>Turned off</Badge>}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{widget.updated}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
