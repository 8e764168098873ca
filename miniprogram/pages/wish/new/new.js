// 我要点单: a new wish with photos (POST /api/v1/uploads for each photo, then POST /api/v1/wishes).
// Submitting first asks for the subscribe messages of the action create_wish (services/notify.js).
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const photoForm = require('../../../behaviors/photo-form')

Component({
  behaviors: [photoForm],
  data: {
    loading: true,
    error: '',
    categories: [],
    title: '',
    category: '',
    description: '',
    submitting: false,
  },
  methods: {
    onLoad() {
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
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    onRetry() {
      return this.load()
    },

    onTitle(e) {
      this.setData({ title: e.detail.value })
    },

    onDescription(e) {
      this.setData({ description: e.detail.value })
    },

    onCategory(e) {
      this.setData({ category: e.currentTarget.dataset.code })
    },

    validate() {
      const d = this.data
      if (!d.title.trim()) return '请填写心愿标题'
      if (!d.category) return '请选择类别'
      return this.photoProblem()
    },

    onSubmit() {
      if (this.data.submitting) return Promise.resolve()
      const problem = this.validate()
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      const d = this.data
      this.setData({ submitting: true })
      // in the same tap: ask to be told of the review and the result, then submit whatever the answer
      return notify
        .run('create_wish', () =>
          api.createWish({ title: d.title.trim(), category: d.category, description: d.description.trim(), photos: d.photos })
        )
        .then(
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
