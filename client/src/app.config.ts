export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/region/index',
    'pages/status/index',
    'pages/benefit/index',
    'pages/auth/index',
    'pages/departments/index',
    'pages/doctors/index',
    'pages/slots/index',
    'pages/reg-confirm/index',
    'pages/bills/index',
    'pages/bill/index',
    'pages/pay/index',
    'pages/result/index',
    'pages/orders/index',
    'pages/order/index',
  ],
  // used rarely: kept out of the WeChat main package (< 500 KiB, client/test/built/weapp.test.ts)
  subPackages: [{ root: 'family', pages: ['pages/index'] }],
  window: {
    navigationBarTitleText: '医保缴费',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f4f5f7',
  },
  animation: false,
});
