import { createApp } from 'vue';
import App from './App.vue';
import { i18n, setLocale } from './i18n';
import { createPortalRouter } from './router';

const app = createApp(App);
app.use(i18n);
app.use(createPortalRouter());
setLocale(i18n.global.locale.value as 'en' | 'zh');
app.mount('#app');
