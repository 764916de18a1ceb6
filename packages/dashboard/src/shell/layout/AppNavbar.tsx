import type { ComponentType } from 'react';
import { ActionIcon, AppShell, Group, NavLink, Text } from '@mantine/core';
import { IconBolt, IconListDetails, IconPackage, IconSettings, IconTimeline } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { ConnectionStatus } from '../connection/ConnectionStatus';

export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/rollouts', label: 'Rollouts', icon: IconListDetails },
  { to: '/resources', label: 'Resources', icon: IconPackage },
  { to: '/traces', label: 'Traces', icon: IconTimeline },
  { to: '/settings', label: 'Settings', icon: IconSettings },
];

/** Brand row, main navigation, and the connection indicator in the footer. */
export function AppNavbar({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <>
      <AppShell.Section p="md">
        <Group gap="xs" wrap="nowrap">
          <ActionIcon
            component={Link}
            to="/rollouts"
            variant="gradient"
            gradient={{ from: 'violet', to: 'yellow', deg: 135 }}
            size="lg"
            aria-label="Agent-lightning home"
          >
            <IconBolt size={20} />
          </ActionIcon>
          <Text fw={700} size="md" style={{ whiteSpace: 'nowrap' }}>
            Agent-lightning Dashboard
          </Text>
        </Group>
      </AppShell.Section>
      <AppShell.Section grow component="nav" aria-label="Main" px="xs">
        {NAV_ITEMS.map(({ to, label, icon: Icon }) => {
          const active = pathname === to || pathname.startsWith(`${to}/`);
          return (
            <NavLink
              key={to}
              component={Link}
              to={to}
              label={label}
              leftSection={<Icon size={18} stroke={1.6} />}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
              variant="light"
              styles={{ root: { borderRadius: 'var(--mantine-radius-md)' } }}
            />
          );
        })}
      </AppShell.Section>
      <AppShell.Section p="md" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        <ConnectionStatus />
      </AppShell.Section>
    </>
  );
}
