// 我要许愿: "需要什么帮助" first (typed, or a voice note of up to 60 s), then the kind of help and
// photos, all optional but one; the title is optional too and made from the first words when left
// empty (the same rule as the server's, contracts.md §3, so an older server that still requires a
// title gets one). Photos and the voice note are uploaded as they are made (POST /api/v1/uploads),
// then POST /api/v1/wishes. Submitting first asks for the subscribe messages of create_wish.
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const privacy = require('../../../services/privacy')
const photoForm = require('../../../behaviors/photo-form')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const { ACTIONS } = require('../../../utils/glossary')
const { titleFrom } = require('../../../utils/format')

Component({
  behaviors: [photoForm, uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    categories: [],
    title: '',
    showTitle: false,
    category: '',
    description: '',
    voice: '',
    voiceSeconds: 0,
    voiceUploading: false,
    voiceFailed: false,
    submitting: false,
    words: ACTIONS,
  },
  methods: {
    onLoad() {
      privacy.install()
      notify.prepare('create_wish')
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      return Promise.all([session.load({ silent: true }), api.listCategories({ silent: true })]).then(
        ([me, cats]) => {
          if (!me.compound_id) {
            wx.redirectTo({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/wish/new/new') })
            return
          }
          this.setData({ loading: false, categories: cats.items })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    onRetry() {
      return this.load()
    },

    onTitle(e) {
      this.setData({ title: e.detail.value })
    },

    onShowTitle() {
      this.setData({ showTitle: true })
    },

    onDescription(e) {
      this.setData({ description: e.detail.value })
    },

    onVoice(e) {
      const d = e.detail
      this.setData({ voice: d.voice, voiceSeconds: d.seconds, voiceUploading: d.uploading, voiceFailed: d.failed })
    },

    onCategory(e) {
      const code = e.currentTarget.dataset.code
      this.setData({ category: code === this.data.category ? '' : code })
    },

    validate() {
      const d = this.data
      if (d.voiceUploading) return '语音还在上传，请稍等'
      if (d.voiceFailed) return '语音上传失败，请重试或删除'
      if (!d.description.trim() && !d.voice && !d.title.trim()) return '请说说需要什么帮助（打字或录语音都行）'
      return this.photoProblem()
    },

    body() {
      const d = this.data
      const description = d.description.trim()
      const categoryCode = d.category || 'other'
      let title = d.title.trim() || titleFrom(description)
      if (!title && d.voice) {
        const cat = d.categories.find((c) => c.code === categoryCode)
        title = '语音心愿' + (cat && cat.code !== 'other' ? '：' + cat.label : '')
      }
      const body = { title, category: categoryCode, description, photos: d.photos }
      if (d.voice) {
        body.voice = d.voice
        body.voice_seconds = Math.max(1, Math.min(60, d.voiceSeconds || 1))
      }
      return body
    },

    onSubmit() {
      if (this.data.submitting) return Promise.resolve()
      const problem = this.validate()
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      const body = this.body()
      this.setData({ submitting: true })
      // in the same tap: ask to be told of the review and the result, then submit whatever the answer
      return notify.run('create_wish', () => api.createWish(body)).then(
        (wish) => {
          this.setData({ submitting: false })
          wx.showToast({ title: '已提交，等待审核', icon: 'success' })
          wx.redirectTo({ url: '/pages/wish/detail/detail?id=' + wish.id + '&as=mine' })
        },
        (err) => {
          this.setData({ submitting: false })
          if (err.code === 'compound_required') {
            wx.navigateTo({ url: '/pages/bind/bind' })
          }
        }
      )
    },
  },
})
