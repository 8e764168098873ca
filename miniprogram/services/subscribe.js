// Subscribe messages (订阅消息) before an action that will notify someone.
//
// WeChat only shows the subscribe dialog when wx.requestSubscribeMessage is called from a user's tap
// (in the same call stack: not after awaiting a request), with at most 3 template ids. Each "accept"
// lets the server send that user one message of that template. So:
//
//   1. when the page loads, prepare(action) fetches the action's template ids and keeps them;
//   2. in the tap handler, run(action, doAction) asks at once with the kept ids, reports the
//      answer to the backend, then does the action — whatever the user chose, and also when the
//      dialog could not be shown (no ids, old WeChat, the user turned subscriptions off).
//
// const subscriber = createSubscriber({
//   loadTemplates: (action) => api.listTemplates(action).then((out) => out.items.map((t) => t.template_id)),
//   report: (outcome) => api.reportSubscriptions(outcome),
// })
// onLoad()  { subscriber.prepare('wish_created') }
// onSubmit() { return subscriber.run('wish_created', () => api.createWish(body)) }

const MAX_TEMPLATES = 3
const RESULTS = ['accept', 'reject', 'ban', 'filter']

function createSubscriber({ loadTemplates, report, fallback = {}, wx: wxOverride } = {}) {
  const getWx = () => wxOverride || wx
  const ids = {} // action -> [template id] (≤ 3)
  const pending = {}

  function clean(list) {
    const out = []
    ;(list || []).forEach((id) => {
      if (typeof id === 'string' && id && out.indexOf(id) < 0) out.push(id)
    })
    return out.slice(0, MAX_TEMPLATES)
  }

  // Fetches and keeps the template ids of an action; never rejects (falls back to config ids).
  function prepare(action) {
    if (ids[action]) return Promise.resolve(ids[action])
    if (!pending[action]) {
      const load = loadTemplates ? Promise.resolve().then(() => loadTemplates(action)) : Promise.resolve([])
      pending[action] = load
        .then(
          (list) => clean(list && list.length ? list : fallback[action]),
          () => clean(fallback[action])
        )
        .then((list) => {
          ids[action] = list
          delete pending[action]
          return list
        })
    }
    return pending[action]
  }

  function templatesOf(action) {
    return ids[action] || clean(fallback[action])
  }

  // Shows the dialog. Call it synchronously inside the tap handler. Resolves (never rejects) with
  // {action, asked, results: {templateId: 'accept'|'reject'|'ban'|'filter'}, accepted: [ids], errCode?}.
  function request(action) {
    const tmplIds = templatesOf(action)
    const outcome = { action, asked: false, results: {}, accepted: [] }
    const w = getWx()
    if (!tmplIds.length || !w || typeof w.requestSubscribeMessage !== 'function') return Promise.resolve(outcome)
    return new Promise((resolve) => {
      let settled = false
      const finish = () => {
        if (settled) return
        settled = true
        resolve(outcome)
      }
      try {
        w.requestSubscribeMessage({
          tmplIds,
          success: (res) => {
            outcome.asked = true
            tmplIds.forEach((id) => {
              const r = res && res[id]
              if (RESULTS.indexOf(r) >= 0) outcome.results[id] = r
            })
            outcome.accepted = tmplIds.filter((id) => outcome.results[id] === 'accept')
            finish()
          },
          fail: (err) => {
            outcome.errCode = err && err.errCode
            outcome.errMsg = err && err.errMsg
            finish()
          },
        })
      } catch (err) {
        outcome.errMsg = String((err && err.message) || err)
        finish()
      }
    })
  }

  // Tells the backend what the user chose, so it keeps a credit per accepted template.
  // Never rejects: a lost report costs a notification, not the user's action.
  function reportOutcome(outcome) {
    if (!report || !Object.keys(outcome.results).length) return Promise.resolve(false)
    return Promise.resolve()
      .then(() => report(outcome))
      .then(
        () => true,
        () => false
      )
  }

  // The whole flow for one tap: ask, report, then go on with the action whatever was chosen.
  // Resolves with what doAction resolves with; its errors are the caller's.
  function run(action, doAction) {
    return request(action)
      .then((outcome) => reportOutcome(outcome).then(() => outcome))
      .then((outcome) => doAction(outcome))
  }

  return { prepare, request, reportOutcome, run, templatesOf, MAX_TEMPLATES }
}

module.exports = { createSubscriber, MAX_TEMPLATES }
