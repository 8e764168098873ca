// The app's subscribe-message flow (services/subscribe.js) wired to the backend:
// template ids from GET /api/v1/notifications/templates?action=…, answers reported to
// POST /api/v1/notifications/subscriptions. Actions the backend knows: create_wish,
// accept_order (claim or accept), dispatch, register_member.
//
// onLoad()   { notify.prepare('create_wish') }
// onSubmit() { return notify.run('create_wish', () => api.createWish(body)) }   // inside the tap
const api = require('./api')
const config = require('../config')
const { createSubscriber } = require('./subscribe')

const subscriber = createSubscriber({
  loadTemplates: (action) => api.listTemplates(action, { silent: true }).then((out) => out.template_ids),
  report: (outcome) => api.reportSubscriptions(outcome.results, { silent: true }),
  fallback: config.subscribeTemplates,
})

module.exports = {
  prepare: (action) => subscriber.prepare(action),
  run: (action, doAction) => subscriber.run(action, doAction),
  templatesOf: (action) => subscriber.templatesOf(action),
}
