// Routes: /conversations, /conversations/:id, /search, /action-items, /import, /settings (and / → /conversations).
// Without a stored key every route shows the sign-in form.
import { useEffect, useState } from 'react';
import { api } from './api';
import { Layout } from './components/Layout';
import { ConversationPage } from './pages/ConversationPage';
import { ConversationsPage } from './pages/ConversationsPage';
import { ActionItemsPage } from './pages/ActionItemsPage';
import { ImportPage } from './pages/ImportPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SearchPage } from './pages/SearchPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { matchPath, navigate, useLocation } from './router';
import { signIn, useApiKey } from './session';
import type { Profile } from './types';
import { useDocumentTitle } from './hooks';

function pageTitle(pathname: string): string {
  if (pathname.startsWith('/conversations/')) return 'Conversation';
  if (pathname.startsWith('/conversations')) return 'Conversations';
  if (pathname.startsWith('/search')) return 'Search';
  if (pathname.startsWith('/action-items')) return 'Action items';
  if (pathname.startsWith('/import')) return 'Import';
  if (pathname.startsWith('/settings')) return 'Settings';
  return '';
}

function Routes({ pathname }: { pathname: string }) {
  useDocumentTitle(pageTitle(pathname));
  const conv = matchPath('/conversations/:id', pathname);
  if (conv) return <ConversationPage key={conv.id} id={conv.id} />;
  if (matchPath('/conversations', pathname)) return <ConversationsPage />;
  if (matchPath('/search', pathname)) return <SearchPage />;
  if (matchPath('/action-items', pathname)) return <ActionItemsPage />;
  if (matchPath('/import', pathname)) return <ImportPage />;
  if (matchPath('/settings', pathname)) return <SettingsPage />;
  if (pathname === '/' || matchPath('/signin', pathname)) return null;
  return <NotFoundPage />;
}

export function App() {
  const key = useApiKey();
  const { pathname } = useLocation();
  const [session, setSession] = useState<{ key: string; profile: Profile } | null>(null);
  const profile = session && session.key === key ? session.profile : null;

  // Load the account for the header when the key came from storage.
  useEffect(() => {
    if (!key || (session && session.key === key)) return;
    const ctrl = new AbortController();
    api.profile({ signal: ctrl.signal }).then(
      (p) => setSession({ key, profile: p }),
      () => {
        /* 401 signs out in the client; other errors leave the header without a name */
      },
    );
    return () => ctrl.abort();
  }, [key, session]);

  useEffect(() => {
    if (key && (pathname === '/' || pathname === '/signin')) navigate('/conversations', { replace: true });
  }, [key, pathname]);

  if (!key) {
    return (
      <Layout signedIn={false} profile={null}>
        <SignInPage
          onSignedIn={(k, p) => {
            setSession({ key: k, profile: p });
            signIn(k);
          }}
        />
      </Layout>
    );
  }

  return (
    <Layout signedIn profile={profile}>
      <Routes pathname={pathname} />
    </Layout>
  );
}
