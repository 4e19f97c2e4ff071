"""The services directory: the services a call can be signposted or referred to."""
