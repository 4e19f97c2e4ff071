"""The call screen: one call from ring to saved contact (views, controller, columns)."""
