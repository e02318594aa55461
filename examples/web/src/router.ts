import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import TablesPage from './pages/TablesPage.vue';

/** The portal's pages; every page but the first is its own chunk, loaded when opened. */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/tables' },
  { path: '/tables', name: 'tables', component: TablesPage },
  {
    path: '/tables/:id',
    name: 'table',
    component: () => import('./pages/TableDetailPage.vue'),
    props: true,
  },
  { path: '/tasks', name: 'tasks', component: () => import('./pages/TasksPage.vue') },
  { path: '/tasks/new', name: 'task-new', component: () => import('./pages/TaskEditPage.vue') },
  {
    path: '/tasks/:id',
    name: 'task-edit',
    component: () => import('./pages/TaskEditPage.vue'),
    props: true,
  },
  { path: '/lineage', name: 'lineage', component: () => import('./pages/LineagePage.vue') },
  { path: '/runs', name: 'runs', component: () => import('./pages/RunsPage.vue') },
  { path: '/streams', name: 'streams', component: () => import('./pages/StreamsPage.vue') },
  { path: '/:rest(.*)*', redirect: '/tables' },
];

/** Creates the router (HTML5 history: the server falls back to index.html for these paths). */
export function createPortalRouter() {
  return createRouter({ history: createWebHistory(), routes });
}
