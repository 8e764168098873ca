// The one client of the 幸福家园 API (see ../openapi/openapi.json), over wx.request.
//
// - attaches the bearer token kept in wx storage; logs in with wx.login → POST /api/v1/auth/wechat
//   when there is none, and on a 401 logs in again and retries the call once;
// - errors come back as {"error", "detail"}: the detail is shown in a toast (unless {silent: true})
//   and thrown as an ApiError with .status, .code and .detail;
// - a GET that fails on the network is retried once (reads are idempotent; writes are not retried).
//
// Every route the app uses is one function below; tests/api.openapi.test.js calls each of them and
// checks the method, path, query and body against openapi.json, so the client cannot drift.

const config = require('../config')

const TOKEN_KEY = 'hh_token'
const NETWORK_DETAIL = '网络连接失败，请检查网络后重试'

class ApiError extends Error {
  constructor(status, code, detail, body) {
    super(detail)
    this.name = 'ApiError'
    this.status = status // HTTP status; 0 when the network failed
    this.code = code // the API's "error" code, e.g. "already_taken"
    this.detail = detail // a message in plain words, fit to show the user
    this.body = body
  }
}

function queryString(query) {
  const parts = []
  Object.keys(query || {}).forEach((key) => {
    const value = query[key]
    if (value === undefined || value === null || value === '') return
    parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)))
  })
  return parts.length ? '?' + parts.join('&') : ''
}

function pathId(id) {
  return encodeURIComponent(String(id))
}

function errorFrom(statusCode, body) {
  const data = body && typeof body === 'object' ? body : {}
  let detail = typeof data.detail === 'string' && data.detail ? data.detail : ''
  if (!detail) {
    if (statusCode >= 500) detail = '服务器开小差了，请稍后再试'
    else if (statusCode === 401) detail = '登录已失效，请重新进入小程序'
    else detail = '请求失败（' + statusCode + '）'
  }
  return new ApiError(statusCode, data.error || 'http_' + statusCode, detail, body)
}

function networkError(err) {
  const e = new ApiError(0, 'network_error', NETWORK_DETAIL, null)
  e.errMsg = err && err.errMsg
  return e
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function createClient(options = {}) {
  // `wx` is read at call time, so tests and the Node e2e shim can swap it.
  const getWx = () => options.wx || wx
  const baseUrl = () => options.baseUrl || config.apiBase
  const retryDelay = options.retryDelay === undefined ? 400 : options.retryDelay
  let loginPromise = null

  function getToken() {
    return getWx().getStorageSync(TOKEN_KEY) || ''
  }

  function setToken(token) {
    if (token) getWx().setStorageSync(TOKEN_KEY, token)
    else getWx().removeStorageSync(TOKEN_KEY)
  }

  function headers(auth) {
    const h = { 'content-type': 'application/json' }
    const token = auth ? getToken() : ''
    if (token) h.Authorization = 'Bearer ' + token
    return h
  }

  // One wx.request; resolves with {statusCode, data} for any HTTP answer, rejects on network failure.
  function send(method, url, data, auth) {
    return new Promise((resolve, reject) => {
      getWx().request({
        url: baseUrl() + url,
        method,
        data: data === undefined ? undefined : data,
        header: headers(auth),
        timeout: config.timeout,
        dataType: 'json',
        success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
        fail: (err) => reject(networkError(err)),
      })
    })
  }

  async function sendWithRetry(method, url, data, auth) {
    try {
      return await send(method, url, data, auth)
    } catch (err) {
      if (method !== 'GET' || err.status !== 0) throw err
      if (retryDelay) await sleep(retryDelay)
      return send(method, url, data, auth)
    }
  }

  function wxLogin() {
    const devCode = options.devLoginCode !== undefined ? options.devLoginCode : config.devLoginCode
    if (devCode) return Promise.resolve(devCode)
    return new Promise((resolve, reject) => {
      getWx().login({
        success: (res) => (res && res.code ? resolve(res.code) : reject(new ApiError(0, 'wx_login_failed', '微信登录失败，请重试', res))),
        fail: (err) => reject(new ApiError(0, 'wx_login_failed', '微信登录失败，请重试', err)),
      })
    })
  }

  async function doLogin() {
    const code = await wxLogin()
    const res = await send('POST', '/api/v1/auth/wechat', { code }, false)
    if (res.statusCode !== 200) throw errorFrom(res.statusCode, res.data)
    setToken(res.data.access_token)
    if (options.onLogin) options.onLogin(res.data)
    return res.data
  }

  // Concurrent 401s share one login.
  function login() {
    if (!loginPromise) {
      loginPromise = doLogin().then(
        (out) => {
          loginPromise = null
          return out
        },
        (err) => {
          loginPromise = null
          throw err
        }
      )
    }
    return loginPromise
  }

  function toast(err, opts) {
    if (opts && opts.silent) return
    try {
      getWx().showToast({ title: err.detail || NETWORK_DETAIL, icon: 'none', duration: 2500 })
    } catch (e) {
      // toasts are best effort
    }
  }

  async function call(method, path, { query, data, auth = true } = {}) {
    const url = path + queryString(query)
    if (auth && !getToken()) await login()
    let res = await sendWithRetry(method, url, data, auth)
    if (res.statusCode === 401 && auth) {
      setToken('')
      await login()
      res = await sendWithRetry(method, url, data, auth)
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data
    throw errorFrom(res.statusCode, res.data)
  }

  async function request(method, path, params, opts) {
    try {
      return await call(method, path, params)
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'client_error', String((err && err.message) || err), null)
      toast(e, opts)
      throw e
    }
  }

  function uploadOnce(filePath, onProgress) {
    return new Promise((resolve, reject) => {
      const task = getWx().uploadFile({
        url: baseUrl() + '/api/v1/uploads',
        filePath,
        name: 'file',
        header: { Authorization: 'Bearer ' + getToken() },
        timeout: config.timeout,
        success: (res) => {
          let data = res.data
          if (typeof data === 'string') {
            try {
              data = JSON.parse(data)
            } catch (e) {
              // keep the raw text
            }
          }
          resolve({ statusCode: res.statusCode, data })
        },
        fail: (err) => reject(networkError(err)),
      })
      if (onProgress && task && typeof task.onProgressUpdate === 'function') {
        task.onProgressUpdate((res) => onProgress(res.progress))
      }
    })
  }

  // POST /api/v1/uploads (multipart, field "file"); resolves with {url, ref, content_type, size,
  // kind, duration_ms} (ref and kind from contracts.md §2; older servers send url only). Photos and
  // voice notes go the same way; opts.onProgress(percent) follows the upload.
  async function uploadFile(filePath, opts) {
    const onProgress = opts && opts.onProgress
    try {
      if (!getToken()) await login()
      let res = await uploadOnce(filePath, onProgress)
      if (res.statusCode === 401) {
        setToken('')
        await login()
        res = await uploadOnce(filePath, onProgress)
      }
      if (res.statusCode >= 200 && res.statusCode < 300) return res.data
      throw errorFrom(res.statusCode, res.data)
    } catch (err) {
      toast(err, opts)
      throw err
    }
  }

  const page = (p) => ({ cursor: p && p.cursor, limit: p && p.limit })

  return {
    ApiError,
    login,
    logout: () => setToken(''),
    hasToken: () => !!getToken(),
    uploadPhoto: (filePath, opts) => uploadFile(filePath, opts),
    // a voice note recorded with wx.getRecorderManager (mp3 / aac, ≤ 60 s, ≤ 2 MB): contracts.md §2
    uploadVoice: (filePath, opts) => uploadFile(filePath, opts),

    // people
    getMe: (opts) => request('GET', '/api/v1/me', {}, opts),
    updateMe: (patch, opts) => request('PATCH', '/api/v1/me', { data: patch }, opts),
    // 住户认证 (contracts.md §1): the code from <button open-type="getPhoneNumber">; leaving a household
    verifyPhone: (code, opts) => request('POST', '/api/v1/me/verify-phone', { data: { code } }, opts),
    leaveHousehold: (opts) => request('POST', '/api/v1/me/leave-household', {}, opts),
    // the building chief's / grid worker's queue of residents' claims
    listVerifications: (p = {}, opts) =>
      request('GET', '/api/v1/verifications', { query: Object.assign({ status: p.status }, page(p)) }, opts),
    approveVerification: (id, opts) => request('POST', '/api/v1/verifications/' + pathId(id) + '/approve', {}, opts),
    rejectVerification: (id, reason, opts) =>
      request('POST', '/api/v1/verifications/' + pathId(id) + '/reject', { data: { reason } }, opts),
    searchCompounds: (p = {}, opts) =>
      request('GET', '/api/v1/org/compounds', { query: Object.assign({ q: p.q }, page(p)) }, opts),

    // Party members
    getMember: (opts) => request('GET', '/api/v1/members/me', {}, opts),
    updateMember: (patch, opts) => request('PATCH', '/api/v1/members/me', { data: patch }, opts),
    registerMember: (body, opts) => request('POST', '/api/v1/members/register', { data: body }, opts),
    listRegistrations: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/members/registrations',
        { query: Object.assign({ status: p.status, compound_id: p.compound_id }, page(p)) },
        opts
      ),
    approveRegistration: (id, opts) =>
      request('POST', '/api/v1/members/registrations/' + pathId(id) + '/approve', {}, opts),
    rejectRegistration: (id, reason, opts) =>
      request('POST', '/api/v1/members/registrations/' + pathId(id) + '/reject', { data: { reason } }, opts),

    // wishes
    listCategories: (opts) => request('GET', '/api/v1/wishes/categories', {}, opts),
    createWish: (body, opts) => request('POST', '/api/v1/wishes', { data: body }, opts),
    listWishes: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/wishes',
        { query: Object.assign({ status: p.status, compound_id: p.compound_id, mine: p.mine }, page(p)) },
        opts
      ),
    listWall: (p = {}, opts) =>
      request('GET', '/api/v1/wishes/wall', { query: Object.assign({ compound_id: p.compound_id }, page(p)) }, opts),
    getWish: (id, opts) => request('GET', '/api/v1/wishes/' + pathId(id), {}, opts),
    cancelWish: (id, reason, opts) =>
      request('POST', '/api/v1/wishes/' + pathId(id) + '/cancel', { data: { reason } }, opts),
    confirmWish: (id, rating, comment, opts) =>
      request('POST', '/api/v1/wishes/' + pathId(id) + '/confirm', { data: { rating, comment: comment || null } }, opts),
    reviewWish: (id, decision, reason, opts) =>
      request('POST', '/api/v1/wishes/' + pathId(id) + '/review', { data: { decision, reason: reason || null } }, opts),
    getCandidates: (id, opts) => request('GET', '/api/v1/wishes/' + pathId(id) + '/candidates', {}, opts),
    dispatchWish: (id, memberId, note, opts) =>
      request(
        'POST',
        '/api/v1/wishes/' + pathId(id) + '/dispatch',
        { data: { member_id: memberId, note: note || null } },
        opts
      ),
    claimWish: (id, opts) => request('POST', '/api/v1/wishes/' + pathId(id) + '/claim', {}, opts),
    // the requester asks the member who took the wish to call back (contracts.md §3)
    requestCallback: (id, opts) => request('POST', '/api/v1/wishes/' + pathId(id) + '/callback', {}, opts),
    completeWish: (id, note, photos, opts) =>
      request('POST', '/api/v1/wishes/' + pathId(id) + '/complete', { data: { note, photos: photos || [] } }, opts),

    // orders
    listOrders: (p = {}, opts) =>
      request('GET', '/api/v1/orders', { query: Object.assign({ mine: p.mine, status: p.status }, page(p)) }, opts),
    acceptOrder: (id, opts) => request('POST', '/api/v1/orders/' + pathId(id) + '/accept', {}, opts),
    declineOrder: (id, reason, opts) =>
      request('POST', '/api/v1/orders/' + pathId(id) + '/decline', { data: { reason } }, opts),

    // grid work: the household register, visits, the to-do list and coverage
    listHouseholds: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/households',
        {
          query: Object.assign(
            { grid_id: p.grid_id, compound_id: p.compound_id, building_id: p.building_id, tag: p.tag, q: p.q },
            page(p)
          ),
        },
        opts
      ),
    listCareTags: (opts) => request('GET', '/api/v1/households/care-tags', {}, opts),
    getHousehold: (id, opts) => request('GET', '/api/v1/households/' + pathId(id), {}, opts),
    listHouseholdVisits: (id, p = {}, opts) =>
      request('GET', '/api/v1/households/' + pathId(id) + '/visits', { query: page(p) }, opts),
    // POST /api/v1/visits/batch {"visits": [...]} → {created, duplicate, error, results: [{client_id,
    // status, id, error, detail, follow_ups}]}; used by services/visit-queue.js (replay-safe by client_id)
    postVisitBatch: (visits, opts) => request('POST', '/api/v1/visits/batch', { data: { visits } }, opts),
    listVisitTodo: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/visits/todo',
        { query: Object.assign({ grid_id: p.grid_id, within_days: p.within_days }, page(p)) },
        opts
      ),
    getVisitCoverage: (p = {}, opts) =>
      request('GET', '/api/v1/visits/coverage', { query: { grid_id: p.grid_id, period: p.period } }, opts),

    // 晾晒台: published snapshots of what was done (residents masked by the API)
    listAiring: (p = {}, opts) => request('GET', '/api/v1/airing', { query: page(p) }, opts),
    getAiring: (id, opts) => request('GET', '/api/v1/airing/' + pathId(id), {}, opts),

    // the three rates (呼叫应答率 事件处置率 居民满意率); scope defaults to the caller's own
    getEscalationStats: (p = {}, opts) =>
      request('GET', '/api/v1/stats/escalation', { query: { scope: p.scope, period: p.period } }, opts),

    // grid issues (网格事件) and 吹哨报到
    listIssues: (p = {}, opts) =>
      request('GET', '/api/v1/issues', { query: Object.assign({ mine: p.mine, status: p.status }, page(p)) }, opts),
    getIssue: (id, opts) => request('GET', '/api/v1/issues/' + pathId(id), {}, opts),
    // a grid worker raises one: {household_id | grid_id + compound_id, category, urgency, description, location, photos}
    raiseIssue: (data, opts) => request('POST', '/api/v1/issues', { data }, opts),
    // where a grid worker may raise one without a household: their grids and the compounds in each
    listIssuePlaces: (opts) => request('GET', '/api/v1/issues/places', {}, opts),
    listDepartments: (opts) => request('GET', '/api/v1/org/departments', {}, opts),
    whistleIssue: (id, departmentId, opts) =>
      request(
        'POST',
        '/api/v1/issues/' + pathId(id) + '/whistle',
        { data: { department_id: departmentId || null } },
        opts
      ),
    respondIssue: (id, note, opts) =>
      request('POST', '/api/v1/issues/' + pathId(id) + '/respond', { data: { note } }, opts),
    resolveIssue: (id, note, photos, opts) =>
      request('POST', '/api/v1/issues/' + pathId(id) + '/resolve', { data: { note, photos: photos || [] } }, opts),
    returnIssue: (id, reason, opts) =>
      request('POST', '/api/v1/issues/' + pathId(id) + '/return', { data: { reason } }, opts),
    // the grid's word on a resolved issue: satisfied or not (居民满意率), or reopen with a reason
    confirmIssue: (id, satisfied, comment, opts) =>
      request('POST', '/api/v1/issues/' + pathId(id) + '/confirm', { data: { satisfied, comment: comment || null } }, opts),
    reopenIssue: (id, reason, opts) =>
      request('POST', '/api/v1/issues/' + pathId(id) + '/reopen', { data: { reason } }, opts),

    // 社区提案 (proposals): the street's lists, drafting, the negative-list self-check, co-signing,
    // review, rating; the public board is the list of published ones
    getProposalLists: (opts) => request('GET', '/api/v1/proposals/lists', {}, opts),
    listProposals: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/proposals',
        { query: Object.assign({ level: p.level, status: p.status, category: p.category, mine: p.mine }, page(p)) },
        opts
      ),
    getProposal: (id, opts) => request('GET', '/api/v1/proposals/' + pathId(id), {}, opts),
    // {level, kind, title, problem, solution, category, will_undertake, undertaking, estimated_cost, organisation_name, photos}
    createProposal: (body, opts) => request('POST', '/api/v1/proposals', { data: body }, opts),
    editProposal: (id, patch, opts) => request('PATCH', '/api/v1/proposals/' + pathId(id), { data: patch }, opts),
    // the proposer confirms that no item of the negative list applies
    submitProposal: (id, noneApplies, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/submit', { data: { none_applies: !!noneApplies } }, opts),
    withdrawProposal: (id, reason, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/withdraw', { data: { reason: reason || null } }, opts),
    // a verified household co-signs a joint proposal (empty body: the caller's own household)
    cosignProposal: (id, opts) => request('POST', '/api/v1/proposals/' + pathId(id) + '/cosign', { data: {} }, opts),
    // {decision: accept | return | reject | refer, reason, negative_codes, to_level}
    reviewProposal: (id, body, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/review', { data: body }, opts),
    // 联动执行: who does what by when; then the work is done and the evaluation opens (who supervises it)
    startExecution: (id, body, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/execution', { data: body }, opts),
    finishExecution: (id, report, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/execution/done', { data: { report } }, opts),
    // 公示 the result (who supervises it)
    publishProposal: (id, opts) => request('POST', '/api/v1/proposals/' + pathId(id) + '/publish', {}, opts),
    rateProposal: (id, rating, comment, opts) =>
      request('POST', '/api/v1/proposals/' + pathId(id) + '/rating', { data: { rating, comment: comment || null } }, opts),

    // 党群议事日 (the deliberation day): the agenda, meetings, check-in, outcomes, minutes
    // 征集议题: a topic for the community's next deliberation day (vetted by the compound's branch)
    raiseTopic: (text, communityId, opts) =>
      request('POST', '/api/v1/agenda', { data: { text, community_id: communityId || null } }, opts),
    listMeetings: (p = {}, opts) =>
      request('GET', '/api/v1/meetings', { query: Object.assign({ community_id: p.community_id }, page(p)) }, opts),
    getMeeting: (id, opts) => request('GET', '/api/v1/meetings/' + pathId(id), {}, opts),
    // no entries: the caller checks in
    checkInMeeting: (id, opts) => request('POST', '/api/v1/meetings/' + pathId(id) + '/attendance', { data: {} }, opts),
    // {decision, votes_for, votes_against, abstained, note, follow_up}
    recordOutcome: (meetingId, itemId, body, opts) =>
      request(
        'POST',
        '/api/v1/meetings/' + pathId(meetingId) + '/items/' + pathId(itemId) + '/outcome',
        { data: body },
        opts
      ),
    closeMeeting: (id, minutes, opts) =>
      request('POST', '/api/v1/meetings/' + pathId(id) + '/close', { data: { minutes } }, opts),
    // co-building (共建): volunteer activities, check-in, the time bank
    listActivities: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/activities',
        {
          query: Object.assign(
            {
              community_id: p.community_id,
              team_id: p.team_id,
              series_id: p.series_id,
              upcoming: p.upcoming,
              my_community: p.my_community,
            },
            page(p)
          ),
        },
        opts
      ),
    getActivity: (id, opts) => request('GET', '/api/v1/activities/' + pathId(id), {}, opts),
    signUp: (id, opts) => request('POST', '/api/v1/activities/' + pathId(id) + '/registrations', {}, opts),
    cancelSignup: (registrationId, opts) =>
      request('POST', '/api/v1/registrations/' + pathId(registrationId) + '/cancel', {}, opts),
    // the code read by wx.scanCode from the organiser's rotating QR
    checkInActivity: (id, code, opts) => request('POST', '/api/v1/activities/' + pathId(id) + '/check-in', { data: { code } }, opts),
    listMySignups: (p = {}, opts) => request('GET', '/api/v1/registrations/mine', { query: page(p) }, opts),
    // the organiser's side: the roster, the rotating code, the offline roster batch, check-out, close
    listRoster: (id, opts) => request('GET', '/api/v1/activities/' + pathId(id) + '/registrations', {}, opts),
    getCheckinCode: (id, opts) => request('GET', '/api/v1/activities/' + pathId(id) + '/checkin-code', {}, opts),
    // entries: [{client_id, user_id, checked_in_at}] — replay-safe by client_id
    postRoster: (id, entries, opts) =>
      request('POST', '/api/v1/activities/' + pathId(id) + '/roster', { data: { entries } }, opts),
    checkOut: (registrationId, at, opts) =>
      request('POST', '/api/v1/registrations/' + pathId(registrationId) + '/check-out', { data: { at: at || null } }, opts),
    closeActivity: (id, opts) => request('POST', '/api/v1/activities/' + pathId(id) + '/close', {}, opts),
    getTimebank: (p = {}, opts) => request('GET', '/api/v1/timebank/me', { query: page(p) }, opts),
    listOffers: (p = {}, opts) =>
      request('GET', '/api/v1/timebank/offers', { query: Object.assign({ partner_id: p.partner_id }, page(p)) }, opts),
    redeemOffer: (offerId, opts) =>
      request('POST', '/api/v1/timebank/offers/' + pathId(offerId) + '/redemptions', {}, opts),
    cancelRedemption: (id, opts) => request('POST', '/api/v1/redemptions/' + pathId(id) + '/cancel', {}, opts),

    // 三清单 (resources, needs, projects) and 双认领
    listListItems: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/list-items',
        { query: Object.assign({ batch_id: p.batch_id, community_id: p.community_id, kind: p.kind, status: p.status }, page(p)) },
        opts
      ),
    getListItem: (id, opts) => request('GET', '/api/v1/list-items/' + pathId(id), {}, opts),
    // body: {claimant_kind: partner | compound | community, claimant_id, note}
    claimListItem: (id, body, opts) => request('POST', '/api/v1/list-items/' + pathId(id) + '/claims', { data: body }, opts),
    decideClaim: (claimId, decision, reason, opts) =>
      request('POST', '/api/v1/list-claims/' + pathId(claimId) + '/decide', { data: { decision, reason: reason || null } }, opts),
    // the claimant takes a claim back until it is fulfilled
    withdrawClaim: (claimId, opts) => request('POST', '/api/v1/list-claims/' + pathId(claimId) + '/withdraw', {}, opts),

    // 合伙人招募: opportunity lists and applications (a partner_id, or a would-be partner's form)
    listOpportunities: (p = {}, opts) =>
      request('GET', '/api/v1/opportunities', { query: Object.assign({ community_id: p.community_id }, page(p)) }, opts),
    getOpportunity: (id, opts) => request('GET', '/api/v1/opportunities/' + pathId(id), {}, opts),
    applyOpportunity: (id, body, opts) =>
      request('POST', '/api/v1/opportunities/' + pathId(id) + '/applications', { data: body }, opts),

    // 项目 (issue 18): the public page, the co-executor's tasks, daily sign-in, ballots
    listProjects: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/projects',
        { query: Object.assign({ scope: p.scope, year: p.year, status: p.status, key: p.key }, page(p)) },
        opts
      ),
    getProject: (id, opts) => request('GET', '/api/v1/projects/' + pathId(id), {}, opts),
    // event: one of the detail's `actions`; reason for cancelled / suspended
    moveProject: (id, event, reason, opts) =>
      request('POST', '/api/v1/projects/' + pathId(id) + '/transitions', { data: { event, reason: reason || null } }, opts),
    listMyTasks: (p = {}, opts) => request('GET', '/api/v1/project-tasks/mine', { query: page(p) }, opts),
    getTask: (id, opts) => request('GET', '/api/v1/project-tasks/' + pathId(id), {}, opts),
    acceptTask: (id, opts) => request('POST', '/api/v1/project-tasks/' + pathId(id) + '/accept', {}, opts),
    reportTask: (id, note, photos, opts) =>
      request('POST', '/api/v1/project-tasks/' + pathId(id) + '/progress', { data: { note, photos: photos || [] } }, opts),
    completeTask: (id, note, photos, opts) =>
      request('POST', '/api/v1/project-tasks/' + pathId(id) + '/complete', { data: { note, photos: photos || [] } }, opts),
    // 年度计划 (the compound branch edits and submits; the community admin decides) and the reviews
    listPlans: (p = {}, opts) => request('GET', '/api/v1/plans', { query: Object.assign({ year: p.year }, page(p)) }, opts),
    getPlan: (compoundId, year, opts) => request('GET', '/api/v1/plans/' + pathId(compoundId) + '/' + pathId(year), {}, opts),
    // body: {project_ids: [existing projects of the compound and year], new_projects: [{title, key, undertaker}]}
    savePlan: (compoundId, year, body, opts) =>
      request('PUT', '/api/v1/plans/' + pathId(compoundId) + '/' + pathId(year), { data: body }, opts),
    submitPlan: (compoundId, year, opts) =>
      request('POST', '/api/v1/plans/' + pathId(compoundId) + '/' + pathId(year) + '/submit', {}, opts),
    // decision: approve | return (with a reason)
    decidePlan: (compoundId, year, decision, reason, opts) =>
      request('POST', '/api/v1/plans/' + pathId(compoundId) + '/' + pathId(year) + '/decide', { data: { decision, reason: reason || null } }, opts),
    // the community's projects that can be reviewed; reviewed: true | false | undefined (all)
    listProjectReviews: (p = {}, opts) =>
      request(
        'GET',
        '/api/v1/project-reviews',
        { query: Object.assign({ year: p.year, kind: p.kind, reviewed: p.reviewed, community_id: p.community_id }, page(p)) },
        opts
      ),
    // kind: midyear | yearend; score 0–100
    reviewProject: (id, kind, score, note, opts) =>
      request('POST', '/api/v1/projects/' + pathId(id) + '/reviews', { data: { kind, score, note: note || '' } }, opts),
    listCheckinPlaces: (opts) => request('GET', '/api/v1/checkins/places', {}, opts),
    // checkins: [{client_id, at, place_kind, place_id, latitude, longitude}] — replay-safe by client_id
    postCheckins: (checkins, opts) => request('POST', '/api/v1/checkins/batch', { data: { checkins } }, opts),
    getCheckinSummary: (p = {}, opts) =>
      request('GET', '/api/v1/checkins/summary', { query: { department_id: p.department_id, period: p.period } }, opts),
    listBallots: (opts) => request('GET', '/api/v1/evaluations/ballots', {}, opts),
    // answers: {code: 1..5 | comment}
    castBallot: (campaignId, targetId, answers, opts) =>
      request('POST', '/api/v1/evaluations/campaigns/' + pathId(campaignId) + '/ballots', { data: { target_id: targetId, answers } }, opts),

    // 小区评议会 (issue 18): an evaluation meeting's rating sheet, ratings, the results' review
    getAppraisalSheet: (meetingId, opts) => request('GET', '/api/v1/meetings/' + pathId(meetingId) + '/sheet', {}, opts),
    // ratings: [{line_id, score 1..5, comment}] — each line once; a comment for 1–2
    rateAppraisal: (meetingId, ratings, opts) =>
      request('POST', '/api/v1/meetings/' + pathId(meetingId) + '/ratings', { data: { ratings } }, opts),
    // the compound's branch; reason: a correction of published results
    submitAppraisal: (meetingId, reason, opts) =>
      request('POST', '/api/v1/meetings/' + pathId(meetingId) + '/appraisal/submit', { data: { reason: reason || null } }, opts),
    // the community admin: decision approve | return (reason required)
    reviewAppraisal: (meetingId, decision, reason, opts) =>
      request('POST', '/api/v1/meetings/' + pathId(meetingId) + '/appraisal/review', { data: { decision, reason: reason || null } }, opts),
    listAppraisals: (p = {}, opts) =>
      request('GET', '/api/v1/appraisals', { query: Object.assign({ compound_id: p.compound_id, period: p.period }, page(p)) }, opts),
    getAppraisal: (id, opts) => request('GET', '/api/v1/appraisals/' + pathId(id), {}, opts),
    // the tree under a community or street admin (their compounds)
    getOrgTree: (opts) => request('GET', '/api/v1/org/tree', {}, opts),
    // 部门考核 and 头雁领航·夺旗摘星 (issue 18); staff read their own department
    getDepartmentAssessment: (p = {}, opts) =>
      request('GET', '/api/v1/assessments/departments', { query: { year: p.year, department_id: p.department_id } }, opts),
    // weights: {part code: 0..100}, summing to 100 (422 weights_not_100 otherwise)
    putAssessmentWeights: (weights, opts) => request('PUT', '/api/v1/assessments/weights', { data: { weights } }, opts),
    getIndicators: (year, opts) => request('GET', '/api/v1/indicators/' + pathId(year), {}, opts),
    getCompetition: (p = {}, opts) => request('GET', '/api/v1/competition', { query: { year: p.year, period: p.period } }, opts),
    // body: {community_id, value, evidence, photos}; the value waits for the street's approval
    enterIndicator: (year, code, body, opts) =>
      request('PUT', '/api/v1/indicators/' + pathId(year) + '/entries/' + pathId(code), { data: body }, opts),
    // decision: approve | reject (a reason required)
    decideIndicatorEntry: (entryId, decision, reason, opts) =>
      request('POST', '/api/v1/indicator-entries/' + pathId(entryId) + '/decide', { data: { decision, reason: reason || null } }, opts),

    // subscribe messages and the inbox
    listTemplates: (action, opts) =>
      request('GET', '/api/v1/notifications/templates', { query: { action } }, opts),
    reportSubscriptions: (results, opts) =>
      request('POST', '/api/v1/notifications/subscriptions', { data: { results } }, opts),
    listInbox: (p = {}, opts) => request('GET', '/api/v1/inbox', { query: page(p) }, opts),
    markRead: (id, opts) => request('POST', '/api/v1/inbox/' + pathId(id) + '/read', {}, opts),
    markAllRead: (opts) => request('POST', '/api/v1/inbox/read-all', {}, opts),
  }
}

const api = createClient()
api.createClient = createClient
api.TOKEN_KEY = TOKEN_KEY

module.exports = api
