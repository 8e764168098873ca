// <photo-picker max="9" bind:change="onPhotos" />
// Lets the user pick photos (wx.chooseMedia), uploads each one at once, and reports
// {urls, uploading} in a "change" event: urls are the uploaded ones, in order; uploading says
// whether some are still on their way (the form should wait before submitting). Each photo shows
// its upload percent; the privacy notice (services/privacy.js) comes before the camera.
const api = require('../../services/api')
const privacy = require('../../services/privacy')

let seq = 0

Component({
  options: { addGlobalClass: true },
  properties: {
    max: { type: Number, value: 9 },
  },
  data: {
    photos: [], // {key, path, status: 'uploading' | 'done' | 'failed', url}
  },
  methods: {
    onAdd() {
      const left = this.data.max - this.data.photos.length
      if (left <= 0) return Promise.resolve()
      return privacy.ensure('拍照或选择照片').then((ok) => (ok ? this.choose(left) : undefined))
    },

    choose(left) {
      return new Promise((resolve) => {
        wx.chooseMedia({
          count: left,
          mediaType: ['image'],
          sourceType: ['album', 'camera'],
          sizeType: ['compressed'],
          success: (res) => resolve(this.addFiles((res.tempFiles || []).map((f) => f.tempFilePath))),
          fail: () => resolve(), // cancelled
        })
      })
    },

    addFiles(paths) {
      const added = paths.slice(0, this.data.max - this.data.photos.length).map((path) => ({
        key: 'p' + ++seq,
        path,
        status: 'uploading',
        percent: 0,
        url: '',
      }))
      this.setData({ photos: this.data.photos.concat(added) })
      this.emit()
      return Promise.all(added.map((p) => this.upload(p.key)))
    },

    upload(key) {
      const photo = this.data.photos.find((p) => p.key === key)
      if (!photo) return Promise.resolve()
      this.patch(key, { status: 'uploading', percent: 0 })
      const onProgress = (percent) => this.patch(key, { percent: Math.round(percent || 0) }, true)
      return api.uploadPhoto(photo.path, { onProgress }).then(
        (out) => this.patch(key, { status: 'done', url: out.ref || out.url }),
        () => this.patch(key, { status: 'failed' })
      )
    },

    patch(key, values, quiet) {
      const photos = this.data.photos.map((p) => (p.key === key ? Object.assign({}, p, values) : p))
      this.setData({ photos })
      if (!quiet) this.emit()
    },

    emit() {
      const photos = this.data.photos
      this.triggerEvent('change', {
        urls: photos.filter((p) => p.status === 'done').map((p) => p.url),
        uploading: photos.some((p) => p.status === 'uploading'),
        failed: photos.some((p) => p.status === 'failed'),
      })
    },

    onRetry(e) {
      const photo = this.data.photos[e.currentTarget.dataset.index]
      return photo ? this.upload(photo.key) : Promise.resolve()
    },

    onRemove(e) {
      const index = e.currentTarget.dataset.index
      this.setData({ photos: this.data.photos.filter((_, i) => i !== index) })
      this.emit()
    },

    onPreview(e) {
      const urls = this.data.photos.map((p) => p.path)
      wx.previewImage({ urls, current: urls[e.currentTarget.dataset.index] })
    },

    // Called by the page after a successful submit.
    reset() {
      this.setData({ photos: [] })
      this.emit()
    },
  },
})
