// 心愿详情: one wish with its timeline, and the actions the viewer may take on it now:
//   requester  — confirm and rate (completed), cancel (before completion);
//   dispatcher — approve / reject (pending_review), choose a member to dispatch to (open);
//   member     — claim (open), accept / decline the offer sent to them, report completion.
// ?id=<wish id>; ?as=mine when opened from the resident's own lists. The server decides in the end:
// a refused action shows its detail (services/api.js) and the wish is read again.
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { mediaUrl, WISH_THEMES, ORDER_THEMES } = require('../../../utils/format')

const CANCELLABLE = ['pending_review', 'open', 'dispatched', 'accepted']
const NO_ACTIONS = { confirm: false, cancel: false, review: false, dispatch: false, claim: false, respond: false, complete: false }

// WishDetail carries no requester id: the requester is who opened it from their own list, or
// whose unmasked card is their own.
function isRequesterOf(wish, me, asMine) {
  if (asMine) return true
  const r = wish.requester || {}
  return !r.masked && !!me && !!me.name && r.name === me.name && (r.phone || null) === (me.phone || null)
}

function actionsFor(wish, me, asMine) {
  const can = Object.assign({}, NO_ACTIONS)
  if (!wish || !me) return { can, isRequester: false }
  const isRequester = isRequesterOf(wish, me, asMine)
  const dispatches = session.compoundsWhere('dispatcher', me).indexOf(wish.compound_id) >= 0
  const member = session.compoundsWhere('party_member', me).indexOf(wish.compound_id) >= 0
  const order = wish.order
  const myOrder = !!order && order.member_id === me.id
  if (isRequester) {
    can.confirm = wish.status === 'completed'
    can.cancel = CANCELLABLE.indexOf(wish.status) >= 0
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

function decorate(wish) {
  const out = Object.assign({}, wish, {
    theme: WISH_THEMES[wish.status] || 'default',
    createdText: time.formatDateTime(wish.created_at),
    photoUrls: (wish.photos || []).map(mediaUrl),
  })
  if (wish.order) {
    out.order = Object.assign({}, wish.order, {
      theme: ORDER_THEMES[wish.order.status] || 'default',
      photoUrls: (wish.order.photos || []).map(mediaUrl),
      expiresText: wish.order.status === 'offered' && wish.order.expires_at ? time.formatRemaining(wish.order.expires_at) : '',
    })
  }
  return out
}

Component({
  data: {
    id: null,
    wish: null,
    events: [],
    loading: false,
    error: '',
    isRequester: false,
    can: NO_ACTIONS,
    busy: '',
    rating: 5,
    comment: '',
    rateTexts: ['很不满意', '不满意', '一般', '满意', '非常满意'],
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
        this.setData({ error: '没有指定心愿' })
        return Promise.resolve()
      }
      this.setData({ loading: true, error: '' })
      return Promise.all([session.load({ silent: true }), api.getWish(this.data.id, { silent: true })]).then(
        ([me, wish]) => this.show(wish, me),
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    show(wish, me = session.current()) {
      const { can, isRequester } = actionsFor(wish, me, this._asMine)
      const events = (wish.events || [])
        .map((e) => Object.assign({}, e, { atText: time.formatDateTime(e.at) }))
        .reverse()
      this.setData({ wish: decorate(wish), events, can, isRequester, loading: false, busy: '' })
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

    onCancel() {
      return ui.askReason('取消心愿', '为什么取消？例如：已经解决了').then((reason) => {
        if (!reason) return
        return this.act('cancel', () => api.cancelWish(this.data.id, reason), '已取消')
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
      return this.act('accept', () => notify.run('accept_order', () => api.acceptOrder(orderId)), '已接单')
    },

    onDecline() {
      return ui.askReason('婉拒派单', '请说明原因，便于小区重新派单').then((reason) => {
        if (!reason) return
        return this.act('decline', () => api.declineOrder(this.data.wish.order.id, reason), '已婉拒')
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
