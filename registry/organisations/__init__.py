"""Establishments and other organisations: the FINESS registry and partners outside it."""
