import type { FulfillmentEventStatus, OrderCancelReason, OrderFinancialStatus } from "./order-snapshot";
import { CANCEL_REASON_LABELS_EN, SHOPPER_ORDER_STATUS_LABELS_EN, type ShopperOrderStatus } from "./order-status";
import { CARRIER_EVENT_LABELS_EN, type TimelineEvent } from "./order-timeline";
import type { PortalLocale } from "./portal-messages";

// What the storefront portal says about an order, in the shopper's language: its status, payment
// status, timeline entries and the notice when Shopify was too slow for the carrier's updates.
// English is the admin's wording (order-status.ts, order-timeline.ts); the others follow it. The
// language is portalLocale's (portal-messages.ts), as for the sign-in words.

export type Translations<K extends string> = Record<PortalLocale, Record<K, string>>;

export const SHOPPER_STATUS_LABELS: Translations<ShopperOrderStatus> = {
  en: SHOPPER_ORDER_STATUS_LABELS_EN,
  fr: {
    unfulfilled: "Non traitée",
    processing_fulfillment: "En préparation",
    pending_delivery: "En attente de livraison",
    in_transit: "En transit",
    out_for_delivery: "En cours de livraison",
    attempted_delivery: "Tentative de livraison",
    ready_for_pickup: "Prête à être retirée",
    delivered: "Livrée",
    failed_delivery: "Échec de livraison",
    cancelled: "Annulée",
    partially_refunded: "Partiellement remboursée",
    refunded: "Remboursée",
  },
  de: {
    unfulfilled: "Nicht versandt",
    processing_fulfillment: "In Bearbeitung",
    pending_delivery: "Zustellung ausstehend",
    in_transit: "Unterwegs",
    out_for_delivery: "In Zustellung",
    attempted_delivery: "Zustellversuch",
    ready_for_pickup: "Abholbereit",
    delivered: "Zugestellt",
    failed_delivery: "Zustellung fehlgeschlagen",
    cancelled: "Storniert",
    partially_refunded: "Teilweise erstattet",
    refunded: "Erstattet",
  },
  es: {
    unfulfilled: "Sin preparar",
    processing_fulfillment: "En preparación",
    pending_delivery: "Pendiente de entrega",
    in_transit: "En tránsito",
    out_for_delivery: "En reparto",
    attempted_delivery: "Intento de entrega",
    ready_for_pickup: "Listo para recoger",
    delivered: "Entregado",
    failed_delivery: "Entrega fallida",
    cancelled: "Cancelado",
    partially_refunded: "Reembolsado parcialmente",
    refunded: "Reembolsado",
  },
};

export const FINANCIAL_STATUS_LABELS: Translations<OrderFinancialStatus> = {
  en: {
    PENDING: "Payment pending",
    AUTHORIZED: "Authorized",
    PARTIALLY_PAID: "Partially paid",
    PAID: "Paid",
    PARTIALLY_REFUNDED: "Partially refunded",
    REFUNDED: "Refunded",
    VOIDED: "Voided",
    EXPIRED: "Expired",
  },
  fr: {
    PENDING: "Paiement en attente",
    AUTHORIZED: "Autorisé",
    PARTIALLY_PAID: "Partiellement payé",
    PAID: "Payé",
    PARTIALLY_REFUNDED: "Partiellement remboursé",
    REFUNDED: "Remboursé",
    VOIDED: "Annulé",
    EXPIRED: "Expiré",
  },
  de: {
    PENDING: "Zahlung ausstehend",
    AUTHORIZED: "Autorisiert",
    PARTIALLY_PAID: "Teilweise bezahlt",
    PAID: "Bezahlt",
    PARTIALLY_REFUNDED: "Teilweise erstattet",
    REFUNDED: "Erstattet",
    VOIDED: "Storniert",
    EXPIRED: "Abgelaufen",
  },
  es: {
    PENDING: "Pago pendiente",
    AUTHORIZED: "Autorizado",
    PARTIALLY_PAID: "Pagado parcialmente",
    PAID: "Pagado",
    PARTIALLY_REFUNDED: "Reembolsado parcialmente",
    REFUNDED: "Reembolsado",
    VOIDED: "Anulado",
    EXPIRED: "Vencido",
  },
};

type TimelineTitle =
  | "order_placed"
  | "payment_received"
  | "shipped"
  | "fulfilled"
  | "delivered"
  | "picked_up"
  | "shipment_cancelled"
  | "order_cancelled"
  | "refund_issued";

const TIMELINE_TITLES: Translations<TimelineTitle> = {
  en: {
    order_placed: "Order placed",
    payment_received: "Payment received",
    shipped: "Shipped",
    fulfilled: "Fulfilled",
    delivered: "Delivered",
    picked_up: "Picked up",
    shipment_cancelled: "Shipment cancelled",
    order_cancelled: "Order cancelled",
    refund_issued: "Refund issued",
  },
  fr: {
    order_placed: "Commande passée",
    payment_received: "Paiement reçu",
    shipped: "Expédiée",
    fulfilled: "Traitée",
    delivered: "Livrée",
    picked_up: "Retirée",
    shipment_cancelled: "Envoi annulé",
    order_cancelled: "Commande annulée",
    refund_issued: "Remboursement effectué",
  },
  de: {
    order_placed: "Bestellung aufgegeben",
    payment_received: "Zahlung erhalten",
    shipped: "Versandt",
    fulfilled: "Ausgeführt",
    delivered: "Zugestellt",
    picked_up: "Abgeholt",
    shipment_cancelled: "Sendung storniert",
    order_cancelled: "Bestellung storniert",
    refund_issued: "Erstattung veranlasst",
  },
  es: {
    order_placed: "Pedido realizado",
    payment_received: "Pago recibido",
    shipped: "Enviado",
    fulfilled: "Preparado",
    delivered: "Entregado",
    picked_up: "Recogido",
    shipment_cancelled: "Envío cancelado",
    order_cancelled: "Pedido cancelado",
    refund_issued: "Reembolso emitido",
  },
};

const CARRIER_EVENT_LABELS: Translations<FulfillmentEventStatus> = {
  en: CARRIER_EVENT_LABELS_EN,
  fr: {
    LABEL_PURCHASED: "Étiquette d'expédition créée",
    LABEL_PRINTED: "Étiquette d'expédition imprimée",
    CONFIRMED: "Confirmé par le transporteur",
    CARRIER_PICKED_UP: "Pris en charge par le transporteur",
    IN_TRANSIT: "En transit",
    DELAYED: "Retardé",
    OUT_FOR_DELIVERY: "En cours de livraison",
    READY_FOR_PICKUP: "Prêt à être retiré",
    ATTEMPTED_DELIVERY: "Tentative de livraison",
    FAILURE: "Échec de livraison",
    DELIVERED: "Livré",
  },
  de: {
    LABEL_PURCHASED: "Versandetikett erstellt",
    LABEL_PRINTED: "Versandetikett gedruckt",
    CONFIRMED: "Vom Versanddienst bestätigt",
    CARRIER_PICKED_UP: "Vom Versanddienst abgeholt",
    IN_TRANSIT: "Unterwegs",
    DELAYED: "Verspätet",
    OUT_FOR_DELIVERY: "In Zustellung",
    READY_FOR_PICKUP: "Abholbereit",
    ATTEMPTED_DELIVERY: "Zustellversuch",
    FAILURE: "Zustellung fehlgeschlagen",
    DELIVERED: "Zugestellt",
  },
  es: {
    LABEL_PURCHASED: "Etiqueta de envío creada",
    LABEL_PRINTED: "Etiqueta de envío impresa",
    CONFIRMED: "Confirmado por el transportista",
    CARRIER_PICKED_UP: "Recogido por el transportista",
    IN_TRANSIT: "En tránsito",
    DELAYED: "Retrasado",
    OUT_FOR_DELIVERY: "En reparto",
    READY_FOR_PICKUP: "Listo para recoger",
    ATTEMPTED_DELIVERY: "Intento de entrega",
    FAILURE: "Entrega fallida",
    DELIVERED: "Entregado",
  },
};

/** Shopper-facing (FRAUD and STAFF are the store's business); OTHER says nothing. */
const CANCEL_REASON_LABELS: Record<PortalLocale, Record<OrderCancelReason, string | null>> = {
  en: CANCEL_REASON_LABELS_EN,
  fr: {
    CUSTOMER: "Annulée à votre demande",
    DECLINED: "Paiement refusé",
    INVENTORY: "Articles indisponibles",
    FRAUD: "Annulée par la boutique",
    STAFF: "Annulée par la boutique",
    OTHER: null,
  },
  de: {
    CUSTOMER: "Auf Ihren Wunsch storniert",
    DECLINED: "Zahlung abgelehnt",
    INVENTORY: "Artikel nicht verfügbar",
    FRAUD: "Vom Shop storniert",
    STAFF: "Vom Shop storniert",
    OTHER: null,
  },
  es: {
    CUSTOMER: "Cancelado a tu petición",
    DECLINED: "Pago rechazado",
    INVENTORY: "Artículos no disponibles",
    FRAUD: "Cancelado por la tienda",
    STAFF: "Cancelado por la tienda",
    OTHER: null,
  },
};

export type TrackingNotice = "details_unavailable" | "details_delayed";

/** Said above the timeline when the carrier's updates could not be fetched for this answer. */
export const TRACKING_NOTICES: Translations<TrackingNotice> = {
  en: {
    details_unavailable: "The carrier's latest updates could not be loaded. Please try again in a moment.",
    details_delayed:
      "The carrier's latest updates are taking longer than usual to load. Please check back in a moment.",
  },
  fr: {
    details_unavailable:
      "Les dernières informations du transporteur n'ont pas pu être chargées. Veuillez réessayer dans un instant.",
    details_delayed:
      "Les dernières informations du transporteur mettent plus de temps que d'habitude à arriver. Revenez dans un instant.",
  },
  de: {
    details_unavailable:
      "Die neuesten Angaben des Versanddienstes konnten nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.",
    details_delayed:
      "Die neuesten Angaben des Versanddienstes brauchen länger als sonst. Bitte schauen Sie gleich noch einmal nach.",
  },
  es: {
    details_unavailable:
      "No se han podido cargar las últimas novedades del transportista. Inténtalo de nuevo en un momento.",
    details_delayed:
      "Las últimas novedades del transportista están tardando más de lo habitual. Vuelve a consultarlo en un momento.",
  },
};

export const shopperStatusLabel = (status: ShopperOrderStatus, locale: PortalLocale) =>
  SHOPPER_STATUS_LABELS[locale][status];

export const financialStatusLabel = (status: OrderFinancialStatus | null, locale: PortalLocale) =>
  status ? FINANCIAL_STATUS_LABELS[locale][status] : null;

export const cancelReasonLabel = (reason: OrderCancelReason | null, locale: PortalLocale) =>
  reason ? CANCEL_REASON_LABELS[locale][reason] : null;

/** The title of a timeline entry in the shopper's language (timelineEventLabelEn's twin). */
export function timelineEventLabel(event: TimelineEvent, locale: PortalLocale): string {
  const titles = TIMELINE_TITLES[locale];
  switch (event.kind) {
    case "order_placed":
    case "payment_received":
    case "shipment_cancelled":
    case "order_cancelled":
    case "refund_issued":
      return titles[event.kind];
    case "shipment_created":
      return event.requiresShipping ? titles.shipped : titles.fulfilled;
    case "carrier_update":
      return CARRIER_EVENT_LABELS[locale][event.status];
    case "shipment_delivered":
      return event.pickedUp ? titles.picked_up : titles.delivered;
  }
}

export type OrderMessage = "orderNotFound" | "invalidRequest" | "listChanged";

/** The order endpoints' refusals, shown to the shopper as they are. */
export const ORDER_MESSAGES: Translations<OrderMessage> = {
  en: {
    orderNotFound: "We couldn't find this order.",
    invalidRequest: "Something in this request is not right. Reload the page and try again.",
    listChanged: "Your order list has changed. Reload it to see your orders.",
  },
  fr: {
    orderNotFound: "Nous n'avons pas trouvé cette commande.",
    invalidRequest: "Quelque chose ne va pas dans cette demande. Rechargez la page et réessayez.",
    listChanged: "Votre liste de commandes a changé. Rechargez-la pour voir vos commandes.",
  },
  de: {
    orderNotFound: "Wir konnten diese Bestellung nicht finden.",
    invalidRequest: "Mit dieser Anfrage stimmt etwas nicht. Laden Sie die Seite neu und versuchen Sie es erneut.",
    listChanged: "Ihre Bestellliste hat sich geändert. Laden Sie sie neu, um Ihre Bestellungen zu sehen.",
  },
  es: {
    orderNotFound: "No hemos encontrado este pedido.",
    invalidRequest: "Algo no está bien en esta solicitud. Recarga la página e inténtalo de nuevo.",
    listChanged: "Tu lista de pedidos ha cambiado. Recárgala para ver tus pedidos.",
  },
};
