// Page chrome: skip link, header (brand, navigation, rate limit, account), main landmark.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { signOut, useRateLimit } from '../session';
import type { Profile } from '../types';

interface Props {
  signedIn: boolean;
  profile: Profile | null;
  children: ReactNode;
}

const navItems = [
  { to: '/conversations', label: 'Conversations', testId: 'nav-conversations' },
  { to: '/search', label: 'Search', testId: 'nav-search' },
  { to: '/action-items', label: 'Action items', testId: 'nav-action-items' },
  { to: '/import', label: 'Import', testId: 'nav-import' },
  { to: '/settings', label: 'Settings', testId: 'nav-settings' },
];

/**
 * The dashboard session's own budget, shown only when it runs low: browsing never spends the API
 * quota (Settings → Usage shows that one), so in normal use there is nothing to watch here.
 */
function RateLimitBadge() {
  const rl = useRateLimit();
  if (!rl) return null;
  const low = rl.limit ? rl.remaining / rl.limit < 0.1 : rl.remaining < 10;
  if (!low) return null;
  const reset = rl.reset ? new Date(rl.reset * 1000).toLocaleTimeString(undefined, { timeStyle: 'short' }) : null;
  return (
    <span className="rate-limit rate-limit-low" data-testid="rate-limit-remaining" title={reset ? `Window resets at ${reset}` : undefined}>
      {rl.remaining} dashboard requests left<span className="rate-limit-suffix"> this hour</span>
    </span>
  );
}

export function Layout({ signedIn, profile, children }: Props) {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the content after client-side navigation, as a page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to={signedIn ? '/conversations' : '/'} className="brand">
            Colloquy
          </Link>
          {signedIn && (
            <nav aria-label="Main" className="main-nav">
              <ul>
                {navItems.map((item) => {
                  const active = pathname === item.to || pathname.startsWith(`${item.to}/`);
                  return (
                    <li key={item.to}>
                      <Link to={item.to} data-testid={item.testId} aria-current={active ? 'page' : undefined}>
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          )}
          {signedIn && (
            <div className="account">
              <RateLimitBadge />
              {profile && (
                <span className="account-name" data-testid="account-name" title={profile.profile.email}>
                  {profile.profile.name || profile.profile.email}
                </span>
              )}
              <button type="button" className="btn btn-small" data-testid="sign-out-button" onClick={() => signOut()}>
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
