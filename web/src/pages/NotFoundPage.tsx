import { Link } from '../router';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/conversations">Go to your conversations</Link>.
      </p>
    </div>
  );
}
