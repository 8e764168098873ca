// 提交完成情况: the member who accepted a wish reports it done with a note and photos
// (POST /api/v1/wishes/{id}/complete); the resident then confirms and rates it.
const api = require('../../../services/api')
const privacy = require('../../../services/privacy')
const photoForm = require('../../../behaviors/photo-form')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')

Component({
  behaviors: [photoForm, uiMode],
  data: {
    errorKind: '',
    id: null,
    wish: null,
    loading: true,
    error: '',
    note: '',
    submitting: false,
  },
  methods: {
    onLoad(query = {}) {
      privacy.install()
      this.setData({ id: query.id })
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      return api.getWish(this.data.id, { silent: true }).then(
        (wish) => this.setData({ wish, loading: false }),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    onRetry() {
      return this.load()
    },

    onNote(e) {
      this.setData({ note: e.detail.value })
    },

    onSubmit() {
      const d = this.data
      if (d.submitting) return Promise.resolve()
      const problem = d.note.trim() ? this.photoProblem() : '请写一下完成情况'
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ submitting: true })
      return api.completeWish(d.id, d.note.trim(), d.photos).then(
        () => {
          this.setData({ submitting: false })
          wx.showToast({ title: '已提交，等待居民确认', icon: 'success' })
          wx.navigateBack()
        },
        () => this.setData({ submitting: false })
      )
    },
  },
})
