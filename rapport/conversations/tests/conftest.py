from rapport.conversations.tests.dovecot import dovecot

__all__ = ["dovecot"]
