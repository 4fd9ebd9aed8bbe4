// Routes: /conversations, /conversations/:id, /search, /action-items, /import, /settings, /trash (and / → /conversations).
// Without a dashboard session every route shows the sign-in form.
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
import { TrashPage } from './pages/TrashPage';
import { matchPath, navigate, useLocation } from './router';
import { useSession } from './session';
import { rememberProfile, setSessionUser } from './credits';
import { Busy } from './components/Busy';
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
  if (matchPath('/trash', pathname)) return <TrashPage />;
  if (pathname === '/' || matchPath('/signin', pathname)) return null;
  return <NotFoundPage />;
}

export function App() {
  const session = useSession();
  const userId = session?.userId ?? null;
  const { pathname } = useLocation();
  const [loaded, setLoaded] = useState<{ userId: string; profile: Profile } | null>(null);
  const profile = loaded && loaded.userId === userId ? loaded.profile : null;

  useEffect(() => setSessionUser(userId), [userId]);

  // Load the account for the header once a session is known.
  useEffect(() => {
    if (!userId || (loaded && loaded.userId === userId)) return;
    const ctrl = new AbortController();
    api.profile({ signal: ctrl.signal }).then(
      (p) => {
        setLoaded({ userId, profile: p });
        rememberProfile(p);
      },
      () => {
        /* 401 signs out in the client; other errors leave the header without a name */
      },
    );
    return () => ctrl.abort();
  }, [userId, loaded]);

  useEffect(() => {
    if (session && (pathname === '/' || pathname === '/signin')) navigate('/conversations', { replace: true });
  }, [session, pathname]);

  if (session === undefined) {
    return (
      <Layout signedIn={false} profile={null}>
        <Busy label="Loading…" />
      </Layout>
    );
  }

  if (!session) {
    return (
      <Layout signedIn={false} profile={null}>
        <SignInPage onSignedIn={(p) => setLoaded({ userId: p.userId, profile: p.profile })} />
      </Layout>
    );
  }

  return (
    <Layout signedIn profile={profile}>
      <Routes pathname={pathname} />
    </Layout>
  );
}
