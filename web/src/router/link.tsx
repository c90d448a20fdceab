import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { navigate, usePathname } from './router.js';

interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  readonly to: string;
  readonly children: ReactNode;
  /** Marks the link as the current page when the path starts with `to`. */
  readonly nav?: boolean;
}

/** An ordinary anchor (so middle-click and copy-link work) that navigates in-app on a plain click. */
export function Link({ to, children, nav, onClick, ...rest }: LinkProps) {
  const pathname = usePathname();
  const current = nav ? pathname === to || pathname.startsWith(`${to}/`) : pathname === to;
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} aria-current={current ? 'page' : undefined} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
