"""The default media list: national and regional news organisations, the early-years
trade press, and words that name a branch of the media. A setting adds its own
local paper and radio station in the admin."""

from django.db import migrations

NAMES = [
    "BBC",
    "ITV",
    "Sky News",
    "Channel 4",
    "Channel 5",
    "GB News",
    "LBC",
    "Global Radio",
    "Bauer Media",
    "Reuters",
    "PA Media",
    "Press Association",
    "The Guardian",
    "The Observer",
    "The Times",
    "The Sunday Times",
    "The Telegraph",
    "Daily Telegraph",
    "Daily Mail",
    "Mail on Sunday",
    "Daily Mirror",
    "The Sun",
    "Daily Express",
    "Daily Star",
    "The Independent",
    "i newspaper",
    "Evening Standard",
    "Financial Times",
    "HuffPost",
    "BuzzFeed",
    "Reach plc",
    "Newsquest",
    "National World",
    "Yorkshire Evening Post",
    "Yorkshire Post",
    "Manchester Evening News",
    "Nursery World",
    "Children and Young People Now",
    "CYP Now",
    "Tes",
    "newspaper",
    "journalist",
    "reporter",
    "press office",
    "press agency",
    "news agency",
    "news desk",
    "newsroom",
    "magazine",
    "broadcaster",
    "television",
    "radio station",
    "podcast",
]
DOMAINS = [
    "bbc.co.uk",
    "bbc.com",
    "itv.com",
    "sky.uk",
    "sky.com",
    "channel4.com",
    "channel5.com",
    "gbnews.com",
    "lbc.co.uk",
    "global.com",
    "bauermedia.co.uk",
    "reuters.com",
    "thomsonreuters.com",
    "pa.media",
    "pamediagroup.com",
    "theguardian.com",
    "guardian.co.uk",
    "observer.co.uk",
    "thetimes.co.uk",
    "thesundaytimes.co.uk",
    "news.co.uk",
    "telegraph.co.uk",
    "dailymail.co.uk",
    "mailonline.co.uk",
    "mirror.co.uk",
    "thesun.co.uk",
    "express.co.uk",
    "dailystar.co.uk",
    "independent.co.uk",
    "inews.co.uk",
    "standard.co.uk",
    "ft.com",
    "huffpost.com",
    "buzzfeed.com",
    "reachplc.com",
    "newsquest.co.uk",
    "nationalworld.com",
    "yorkshireeveningpost.co.uk",
    "yorkshirepost.co.uk",
    "manchestereveningnews.co.uk",
    "nurseryworld.co.uk",
    "markallengroup.com",
    "cypnow.co.uk",
    "tes.com",
]


def load(apps, schema_editor):
    outlet = apps.get_model("sharing", "MediaOutlet")
    outlet.objects.bulk_create(
        [outlet(name=name) for name in NAMES] + [outlet(domain=domain) for domain in DOMAINS]
    )


def unload(apps, schema_editor):
    outlet = apps.get_model("sharing", "MediaOutlet")
    outlet.objects.filter(name__in=NAMES, domain="").delete()
    outlet.objects.filter(domain__in=DOMAINS, name="").delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_recipients_consents_disclosures_requests")]

    operations = [migrations.RunPython(load, unload)]
