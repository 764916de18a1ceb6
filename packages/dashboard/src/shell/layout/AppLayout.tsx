import { Suspense } from 'react';
import { AppShell, Burger, Group, Loader, Center, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useLocation } from 'react-router';
import { AppNavbar, NAV_ITEMS } from './AppNavbar';
import { ApiKeyPrompt } from '../apiKey/ApiKeyPrompt';
import { AppDrawer } from '../drawer/AppDrawer';

/** AppShell: persistent left navbar, a minimal header, and the current page as the router outlet. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const current = NAV_ITEMS.find((item) => pathname.startsWith(item.to));

  return (
    <AppShell
      header={{ height: 48 }}
      navbar={{ width: 280, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <Text fw={600} size="sm" c="dimmed" data-testid="header-title">
            {current?.label ?? ''}
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar>
        <AppNavbar onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense
          fallback={
            <Center py="xl">
              <Loader size="sm" aria-label="Loading page" />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <AppDrawer />
      <ApiKeyPrompt />
    </AppShell>
  );
}
