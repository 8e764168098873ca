// A form with a <photo-picker bind:change="onPhotos">: keeps the uploaded URLs and the upload
// state, and says what stops the form from being sent while photos are still uploading or failed.
//
//   photoProblem() → '' when the photos are ready, else the message to show
module.exports = Behavior({
  data: {
    photos: [],
    uploading: false,
    photoFailed: false,
  },
  methods: {
    onPhotos(e) {
      this.setData({ photos: e.detail.urls, uploading: e.detail.uploading, photoFailed: e.detail.failed })
    },

    photoProblem() {
      if (this.data.uploading) return '照片还在上传，请稍等'
      if (this.data.photoFailed) return '有照片上传失败，请重试或删除'
      return ''
    },
  },
})
