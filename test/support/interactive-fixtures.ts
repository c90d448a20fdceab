/** Interactive messages as FlowChat's API takes them, matching the Cloud API fixtures. */

/** The reply buttons of `send-interactive-buttons-request.json`: a delivery slot to confirm or reschedule. */
export const deliveryButtons = {
  type: 'button',
  header: 'Delivery on Friday',
  body: 'Your order A12345 arrives Friday between 9:00 and 13:00. Does that work?',
  footer: 'Acme Store',
  buttons: [{ id: 'confirm', title: 'Confirm' }, { id: 'reschedule', title: 'Reschedule' }],
};
