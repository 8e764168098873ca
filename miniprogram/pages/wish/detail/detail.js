// 心愿详情: one wish with its timeline, and the actions the viewer may take on it now:
//   requester  — 联系党员 once a member has it (a call when the member shares the number, else a
//                call-back request: contracts.md §3), confirm and rate (completed), and cancel —
//                secondary, after the timeline, with a confirmation;
//   dispatcher — approve / reject (pending_review), choose a member to dispatch to (open);
//   member     — claim (open), accept / decline the offer sent to them, report completion.
// The dispatcher and the member hear the resident's voice note (WishDetail.voice).
// ?id=<wish id>; ?as=mine when opened from the resident's own lists. The buttons are the wish's
// `actions` from the API when it sends them, else worked out here as before. The server decides in
// the end: a refused action shows its detail and the wish is read again.
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const { mediaUrl } = require('../../../utils/format')

const { ACTIONS } = glossary
const CANCELLABLE = ['pending_review', 'open', 'dispatched', 'accepted']
const NO_ACTIONS = { confirm: false, cancel: false, review: false, dispatch: false, claim: false, respond: false, complete: false, contact: false }

// WishDetail.viewer_is_requester when the server sends it; else the requester is who opened it from
// their own list, or whose unmasked card is their own.
function isRequesterOf(wish, me, asMine) {
  if (typeof wish.viewer_is_requester === 'boolean') return wish.viewer_is_requester
  if (asMine) return true
  const r = wish.requester || {}
  return !r.masked && !!me && !!me.name && r.name === me.name && (r.phone || null) === (me.phone || null)
}

function actionsFor(wish, me, asMine) {
  const can = Object.assign({}, NO_ACTIONS)
  if (!wish || !me) return { can, isRequester: false }
  const isRequester = isRequesterOf(wish, me, asMine)
  if (Array.isArray(wish.actions)) {
    wish.actions.forEach((a) => {
      if (a === 'accept' || a === 'decline') can.respond = true
      else if (a in can) can[a] = true
    })
    // an older server does not list "contact": a member has the wish, and it says how to reach them
    if (isRequester && wish.contact && ['accepted', 'completed'].indexOf(wish.status) >= 0) can.contact = true
    return { can, isRequester }
  }
  const dispatches = session.compoundsWhere('dispatcher', me).indexOf(wish.compound_id) >= 0
  const member = session.compoundsWhere('party_member', me).indexOf(wish.compound_id) >= 0
  const order = wish.order
  const myOrder = !!order && order.member_id === me.id
  if (isRequester) {
    can.confirm = wish.status === 'completed'
    can.cancel = CANCELLABLE.indexOf(wish.status) >= 0
    can.contact = !!wish.contact && ['accepted', 'completed'].indexOf(wish.status) >= 0
  }
  if (dispatches) {
    can.review = wish.status === 'pending_review'
    can.dispatch = wish.status === 'open'
  }
  if (member && !isRequester) {
    can.claim = wish.status === 'open'
    can.respond = myOrder && order.status === 'offered' && wish.status === 'dispatched'
    can.complete = myOrder && order.status === 'accepted' && wish.status === 'accepted'
  }
  return { can, isRequester }
}

function contactView(contact) {
  if (!contact) return null
  const canCall = !!(contact.can_call && contact.phone)
  return {
    memberName: contact.member_name || '党员',
    phone: contact.phone || '',
    canCall,
    callbackText: contact.callback_requested_at ? '已请' + (contact.member_name || '党员') + '回电（' + time.formatRelative(contact.callback_requested_at) + '）' : '',
    hint: canCall ? '直接给' + (contact.member_name || '党员') + '打电话' : (contact.member_name || '党员') + '没有公开电话，点按钮请他给您回电',
  }
}

function decorate(wish) {
  const out = Object.assign({}, wish, {
    status_label: glossary.label('wish', wish.status, wish.status_label),
    theme: glossary.theme('wish', wish.status),
    createdText: time.formatMoment(wish.created_at),
    photoUrls: (wish.photos || []).map(mediaUrl),
    voiceUrl: wish.voice && wish.voice.url ? wish.voice.url : '',
    voiceSeconds: (wish.voice && wish.voice.seconds) || 0,
  })
  if (wish.order) {
    out.order = Object.assign({}, wish.order, {
      status_label: glossary.label('order', wish.order.status, wish.order.status_label),
      kindLabel: glossary.ORDER_KIND[wish.order.kind] || '',
      theme: glossary.theme('order', wish.order.status),
      photoUrls: (wish.order.photos || []).map(mediaUrl),
      expiresText: wish.order.status === 'offered' && wish.order.expires_at ? time.formatRemaining(wish.order.expires_at) : '',
    })
  }
  return out
}

Component({
  behaviors: [uiMode],
  data: {
    id: null,
    wish: null,
    contact: null,
    events: [],
    loading: false,
    error: '',
    errorKind: '',
    isRequester: false,
    can: NO_ACTIONS,
    busy: '',
    rating: 5,
    comment: '',
    rateTexts: ['很不满意', '不满意', '一般', '满意', '非常满意'],
    words: ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      this._asMine = query.as === 'mine'
      this.setData({ id: query.id })
      return this.load()
    },

    onShow() {
      // back from dispatching or completing: read it again
      if (this._shown) return this.load()
      this._shown = true
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      if (!this.data.id) {
        this.setData({ error: '没有指定心愿', errorKind: 'missing' })
        return Promise.resolve()
      }
      this.setData({ loading: true, error: '' })
      return Promise.all([session.load({ silent: true }), api.getWish(this.data.id, { silent: true })]).then(
        ([me, wish]) => this.show(wish, me),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    show(wish, me = session.current()) {
      const { can, isRequester } = actionsFor(wish, me, this._asMine)
      const events = (wish.events || [])
        .map((e) => Object.assign({}, e, { atText: time.formatMoment(e.at) }))
        .reverse()
      const hasActions = ['confirm', 'review', 'dispatch', 'claim', 'respond', 'complete'].some((k) => can[k])
      this.setData({ wish: decorate(wish), contact: contactView(wish.contact), events, can, hasActions, isRequester, loading: false, busy: '' })
      if (can.claim || can.respond) notify.prepare('accept_order')
    },

    onRetry() {
      return this.load()
    },

    // Runs one action; on success shows the returned wish, on failure (already toasted) reloads.
    act(name, call, done) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: name })
      return call().then(
        (wish) => {
          this.show(wish)
          if (done) ui.toast(done, 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          if (err && err.status === 409) return this.load()
        }
      )
    },

    onRating(e) {
      this.setData({ rating: e.detail.value })
    },

    onComment(e) {
      this.setData({ comment: e.detail.value })
    },

    onConfirm() {
      const { id, rating, comment } = this.data
      if (!rating) {
        ui.toast('请先打分')
        return Promise.resolve()
      }
      return this.act('confirm', () => api.confirmWish(id, rating, comment.trim()), '感谢您的评价')
    },

    // 联系党员: call when the member shares the number, else ask them to call back
    onContact() {
      const c = this.data.contact
      if (!c) return Promise.resolve()
      if (c.canCall) {
        wx.makePhoneCall({ phoneNumber: c.phone })
        return Promise.resolve()
      }
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: 'contact' })
      return api.requestCallback(this.data.id, { silent: true }).then(
        (wish) => {
          this.show(wish)
          ui.toast('已请' + c.memberName + '给您回电', 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          // callback_recent: asked within 30 minutes; the detail says so
          ui.toast(err.detail)
          if (err.status === 409) return this.load()
        }
      )
    },

    onCancel() {
      return ui.askReason('确定取消这个心愿？', '请说一下原因，例如：已经解决了').then((reason) => {
        if (!reason) return
        return this.act('cancel', () => api.cancelWish(this.data.id, reason), glossary.WISH_STATUS.cancelled)
      })
    },

    onApprove() {
      return this.act('approve', () => api.reviewWish(this.data.id, 'approve'), '已通过审核')
    },

    onReject() {
      return ui.askReason('驳回心愿', '请告诉居民原因').then((reason) => {
        if (!reason) return
        return this.act('reject', () => api.reviewWish(this.data.id, 'reject', reason), '已驳回')
      })
    },

    onDispatch() {
      wx.navigateTo({ url: '/pages/dispatch/candidates/candidates?id=' + this.data.id })
    },

    onClaim() {
      return this.act('claim', () => notify.run('accept_order', () => api.claimWish(this.data.id)), '认领成功')
    },

    onAccept() {
      const orderId = this.data.wish.order.id
      return this.act('accept', () => notify.run('accept_order', () => api.acceptOrder(orderId)), '接单成功，请联系居民')
    },

    onDecline() {
      return ui.askReason('婉拒派单', '请说明原因，便于小区重新派单').then((reason) => {
        if (!reason) return
        return this.act('decline', () => api.declineOrder(this.data.wish.order.id, reason), glossary.ORDER_STATUS.declined)
      })
    },

    onComplete() {
      wx.navigateTo({ url: '/pages/member/complete/complete?id=' + this.data.id })
    },

    onPreview(e) {
      const { urls, index } = e.currentTarget.dataset
      wx.previewImage({ urls, current: urls[index] })
    },

    onCall() {
      const phone = this.data.wish && this.data.wish.requester.phone
      if (phone && wx.makePhoneCall) wx.makePhoneCall({ phoneNumber: phone })
    },
  },
})
